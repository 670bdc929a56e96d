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
        let keyBase = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        var objects: [ObjectInfo] = []
        try walk(base.count > 1 && base.hasSuffix("/") ? String(base.dropLast()) : base, relative: "", keyBase: keyBase,
                 into: &objects)
        return objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Lists a folder recursively. An unreadable folder anywhere below the
    /// prefix is an error: skipping it would silently leave objects out.
    private func walk(_ folder: String, relative: String, keyBase: String, into objects: inout [ObjectInfo]) throws {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            let reason = access(folder, R_OK | X_OK) != 0 ? String(cString: strerror(errno)).lowercased() : "\(error)"
            throw ConveyorError(.storageFailed, "cannot read input prefix \(folder): \(reason)")
        }
        for name in entries where !LocalWriter.isTemporary(name) {
            let full = folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                // Symbolic links to folders are not followed (no cycles), as before.
                let type = try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType
                if type == .typeSymbolicLink { continue }
                try walk(full, relative: relative + name + "/", keyBase: keyBase, into: &objects)
            } else {
                objects.append(ObjectInfo(key: keyBase + relative + name, size: try Self.size(of: full)))
            }
        }
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
