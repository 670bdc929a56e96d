import ConveyorCore
import Foundation

/// Where objects live: `s3://bucket/prefix`, `file:///abs/path` or a plain
/// local path. Local paths become keys of a store rooted at `/`, so one
/// `LocalStore` serves every local location.
public struct StorageLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: Sendable, Hashable { case local, s3(bucket: String) }

    public let scheme: Scheme
    /// The key prefix inside the store (no leading `/`).
    public let prefix: String

    public init(scheme: Scheme, prefix: String) {
        self.scheme = scheme
        self.prefix = prefix
    }

    /// Parses a URI or path; relative paths resolve against `directory`.
    public init(_ text: String, relativeTo directory: String = FileManager.default.currentDirectoryPath) throws {
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            let bucket = String(rest.prefix { $0 != "/" })
            guard !bucket.isEmpty else {
                throw ConveyorError(.invalidInput, "'\(text)' names no bucket; expected s3://bucket/prefix")
            }
            var key = String(rest.dropFirst(bucket.count))
            if key.hasPrefix("/") { key.removeFirst() }
            self.init(scheme: .s3(bucket: bucket), prefix: key)
            return
        }
        var path = text
        if path.hasPrefix("file://") { path = String(path.dropFirst(7)) }
        guard !path.isEmpty, !text.contains("://") || text.hasPrefix("file://") else {
            throw ConveyorError(.invalidInput, "'\(text)' is not a local path, file:// or s3:// URI")
        }
        if !path.hasPrefix("/") { path = directory + "/" + path }
        var standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        // A trailing slash marks a folder prefix (manifests append names to it).
        if path.hasSuffix("/") && !standardized.hasSuffix("/") { standardized += "/" }
        self.init(scheme: .local, prefix: String(standardized.drop { $0 == "/" }))
    }

    public var description: String {
        switch scheme {
        case .local: return "/" + prefix
        case .s3(let bucket): return "s3://\(bucket)/\(prefix)"
        }
    }

    /// The location of `relative` under this one, joined with one `/`.
    public func appending(_ relative: String) -> StorageLocation {
        let base = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        return StorageLocation(scheme: scheme, prefix: base + relative)
    }

    /// The parent "directory" of this location (`a/b/c.json` → `a/b/`).
    public var parent: StorageLocation {
        guard let slash = prefix.lastIndex(of: "/") else { return StorageLocation(scheme: scheme, prefix: "") }
        return StorageLocation(scheme: scheme, prefix: String(prefix[...slash]))
    }
}
