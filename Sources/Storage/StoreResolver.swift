import ConveyorCore

/// Turns locations into stores: one LocalStore for local paths, one
/// S3Store per bucket. S3 settings are resolved only when an S3 location
/// is used, so local jobs need no credentials.
public struct StoreResolver: Sendable {
    public let local: LocalStore
    private let s3: @Sendable () throws -> S3Configuration

    public init(local: LocalStore = LocalStore(), s3: @escaping @Sendable () throws -> S3Configuration) {
        self.local = local
        self.s3 = s3
    }

    public func store(for location: StorageLocation) throws -> any ObjectStore {
        switch location.scheme {
        case .local: return local
        case .s3(let bucket): return S3Store(bucket: bucket, configuration: try s3())
        }
    }
}
