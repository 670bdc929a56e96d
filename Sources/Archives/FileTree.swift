import Foundation

/// A model artifact read into memory: normalized relative paths (always
/// `/`-separated, no `.`/`..` components) to file contents.
public struct FileTree: Sendable, Equatable {
    public private(set) var files: [String: Data]
    /// Where the tree came from, for error messages.
    public let source: String

    public init(source: String, files: [String: Data] = [:]) {
        self.source = source
        self.files = files
    }

    public var paths: [String] { files.keys.sorted() }
    public var totalBytes: Int { files.values.reduce(0) { $0 + $1.count } }

    public subscript(path: String) -> Data? { files[path] }

    /// The file's contents, or `.modelCorrupt` naming the missing path.
    public func require(_ path: String) throws -> Data {
        guard let data = files[path] else {
            throw ConveyorError(.modelCorrupt, "'\(source)' has no file '\(path)'")
        }
        return data
    }

    /// The files below `prefix` (a directory path), re-rooted there.
    public func subtree(_ prefix: String) -> FileTree {
        guard !prefix.isEmpty else { return self }
        let base = prefix.hasSuffix("/") ? prefix : prefix + "/"
        var out: [String: Data] = [:]
        for (path, data) in files where path.hasPrefix(base) {
            out[String(path.dropFirst(base.count))] = data
        }
        return FileTree(source: "\(source)!/\(prefix)", files: out)
    }

    mutating func add(_ path: String, _ data: Data) {
        files[path] = data
    }
}

import ConveyorCore
