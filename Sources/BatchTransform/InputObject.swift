import ConveyorCore
import Storage

/// One object to transform: where it is read from and its key relative
/// to the input prefix, which names the output (`<relative>.out`).
public struct InputObject: Sendable, Hashable {
    public let location: StorageLocation
    public let relativeKey: String
    public let size: Int64

    public init(location: StorageLocation, relativeKey: String, size: Int64) {
        self.location = location
        self.relativeKey = relativeKey
        self.size = size
    }

    /// Refuses relative keys that would leave the output prefix
    /// (`..` segments, absolute keys) or name nothing.
    public func checkedRelativeKey() throws -> String {
        let segments = relativeKey.split(separator: "/", omittingEmptySubsequences: false)
        if relativeKey.isEmpty || relativeKey.hasPrefix("/") || segments.contains("..") || segments.contains(".") {
            throw ConveyorError(.invalidInput, "key '\(relativeKey)' would escape the output prefix; refusing to write its output")
        }
        return relativeKey
    }

    /// The key relative to `prefix` that names the output. A prefix that
    /// is a "folder" (ends with `/`, or the key continues after `prefix/`)
    /// is cut off whole; a partial name (`in/data` for `in/data1.csv`)
    /// keeps its last segment's match; a single object keeps its name.
    public static func relativeKey(_ key: String, under prefix: String) -> String {
        if key == prefix { return String(key.split(separator: "/").last ?? Substring(key)) }
        if prefix.isEmpty || prefix.hasSuffix("/") { return String(key.dropFirst(prefix.count)) }
        if key.hasPrefix(prefix + "/") { return String(key.dropFirst(prefix.count + 1)) }
        let parent = prefix.lastIndex(of: "/").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0
        return String(key.dropFirst(parent))
    }
}
