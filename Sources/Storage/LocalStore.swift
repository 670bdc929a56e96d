import ConveyorCore
import Foundation

/// Objects as files under a root directory (default `/`); keys are
/// `/`-separated paths below it. Writes go to a hidden temporary file next
/// to the destination and are renamed into place on commit, so a reader
/// never sees a partial object.
public struct LocalStore: ObjectStore {
    public let root: String
    /// Bytes per read.
    public let chunkBytes: Int

    public init(root: String = "/", chunkBytes: Int = 1 << 20) {
        self.root = root.hasSuffix("/") ? root : root + "/"
        self.chunkBytes = chunkBytes
    }

    public var name: String { "file://" + root }

    func path(_ key: String) -> String { root + key }

    /// A directory is listed recursively; a file is its own listing. A
    /// missing or unreadable prefix is an error, not an empty listing.
    public func list(prefix: String) async throws -> [ObjectInfo] {
        let base = path(prefix)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory) else {
            throw ConveyorError(.storageFailed, "cannot read input prefix \(base): no such file or directory")
        }
        guard isDirectory.boolValue else {
            return [ObjectInfo(key: prefix, size: try Self.size(of: base))]
        }
        guard FileManager.default.isReadableFile(atPath: base),
              let walker = FileManager.default.enumerator(atPath: base) else {
            throw ConveyorError(.storageFailed, "cannot read input prefix \(base): permission denied")
        }
        let keyBase = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        var objects: [ObjectInfo] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if LocalWriter.isTemporary(name) { continue }
            let full = base + (base.hasSuffix("/") ? "" : "/") + relative
            var sub: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue else { continue }
            objects.append(ObjectInfo(key: keyBase + relative, size: try Self.size(of: full)))
        }
        return objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    public func open(key: String) async throws -> any ObjectReader {
        guard let handle = FileHandle(forReadingAtPath: path(key)) else {
            throw ConveyorError(.storageFailed, "cannot open \(path(key)) for reading")
        }
        return LocalReader(handle: handle, chunkBytes: chunkBytes, path: path(key))
    }

    public func exists(key: String) async throws -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(key), isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func create(key: String) async throws -> any ObjectWriter {
        try LocalWriter(destination: path(key))
    }

    static func size(of path: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}

final class LocalReader: ObjectReader, @unchecked Sendable {
    private let handle: FileHandle
    private let chunkBytes: Int
    private let path: String

    init(handle: FileHandle, chunkBytes: Int, path: String) {
        self.handle = handle
        self.chunkBytes = chunkBytes
        self.path = path
    }

    func next() async throws -> [UInt8]? {
        let data: Data?
        do {
            data = try handle.read(upToCount: chunkBytes)
        } catch {
            throw ConveyorError(.storageFailed, "cannot read \(path)", cause: SendableDescription(error))
        }
        guard let data, !data.isEmpty else { return nil }
        return [UInt8](data)
    }

    func close() async { try? handle.close() }
}
