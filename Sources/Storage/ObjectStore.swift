import ConveyorCore

/// One object under a prefix: its full key and size in bytes.
public struct ObjectInfo: Sendable, Hashable {
    public let key: String
    public let size: Int64

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// A flat namespace of objects (a bucket, or a local directory tree whose
/// keys are `/`-separated paths), read as streams and written atomically:
/// an object written through `create` becomes visible only on `commit`.
public protocol ObjectStore: Sendable {
    /// `s3://bucket` or `file://` (for messages).
    var name: String { get }
    /// Every object whose key starts with `prefix`, in ascending key order
    /// (byte order, as S3 lists them). Throws when the prefix cannot be read.
    func list(prefix: String) async throws -> [ObjectInfo]
    /// A stream over an object's bytes.
    func open(key: String) async throws -> any ObjectReader
    /// Whether a complete object exists under `key`.
    func exists(key: String) async throws -> Bool
    /// A writer whose bytes appear under `key` only when committed.
    func create(key: String) async throws -> any ObjectWriter
    /// Removes what writers of `keys` under `prefix` left behind when their
    /// process died (S3: incomplete multipart uploads); returns how many.
    func discardIncompleteWrites(keys: Set<String>, under prefix: String) async throws -> Int
}

/// Reads an object chunk by chunk. One consumer at a time.
public protocol ObjectReader: AnyObject, Sendable {
    /// The next chunk (never empty), or nil at the end.
    func next() async throws -> [UInt8]?
    func close() async
}

/// Writes an object that is invisible until `commit`; `abort` discards it.
public protocol ObjectWriter: AnyObject, Sendable {
    func write(_ bytes: [UInt8]) async throws
    func commit() async throws
    func abort() async
}

extension ObjectStore {
    /// Nothing to do by default (local partial files are removed as each
    /// object is written again).
    public func discardIncompleteWrites(keys: Set<String>, under prefix: String) async throws -> Int { 0 }

    /// A small object read whole (manifests, job files); refuses more than `limit` bytes.
    public func readAll(key: String, limit: Int = 64 << 20) async throws -> [UInt8] {
        let reader = try await open(key: key)
        var bytes: [UInt8] = []
        while let chunk = try await reader.next() {
            bytes.append(contentsOf: chunk)
            if bytes.count > limit {
                await reader.close()
                throw ConveyorError(.storageFailed, "\(name)/\(key) is larger than \(limit) bytes")
            }
        }
        await reader.close()
        return bytes
    }

    /// Writes `bytes` as one object, atomically.
    public func put(key: String, bytes: [UInt8]) async throws {
        let writer = try await create(key: key)
        do {
            try await writer.write(bytes)
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
    }
}

extension ConveyorError.Code {
    /// Reading or writing an object store failed (missing prefix or bucket,
    /// rejected credentials, I/O errors).
    public static let storageFailed = ConveyorError.Code(rawValue: "storage_failed")
}
