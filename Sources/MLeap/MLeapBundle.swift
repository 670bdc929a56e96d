import Archives
import ConveyorCore
import Foundation

/// An MLeap bundle as stored: `bundle.json` plus the `root` node tree.
/// Accepts a directory, a zip, or a (gzipped) tar holding the bundle
/// directory — SageMaker's `model.tar.gz` layout.
public struct MLeapBundle: Sendable {
    public let name: String
    public let version: String
    public let format: String
    public let uid: String?
    let root: BundleNode

    public init(url: URL) throws {
        try self.init(tree: try ArchiveReader.read(url))
    }

    init(tree: FileTree) throws {
        // The bundle may sit below a top-level folder; take the shallowest bundle.json.
        let candidates = tree.paths.filter { $0 == "bundle.json" || $0.hasSuffix("/bundle.json") }
        guard let manifestPath = candidates.min(by: { $0.count < $1.count }) else {
            throw ConveyorError(.modelCorrupt, "'\(tree.source)' is not an MLeap bundle: no bundle.json")
        }
        let base = String(manifestPath.dropLast("bundle.json".count))
        let bundle = base.isEmpty ? tree : tree.subtree(String(base.dropLast()))
        let manifest = try JSONValue.parse(try bundle.require("bundle.json"), file: "bundle.json")
        format = manifest["format"]?.string ?? "json"
        name = manifest["name"]?.string ?? "bundle"
        version = manifest["version"]?.string ?? "unknown"
        uid = manifest["uid"]?.string
        guard format == "json" else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap bundle '\(name)' in '\(tree.source)' is serialized as '\(format)'; "
                    + "Conveyor reads only JSON bundles (re-export with SerializationFormat.Json)")
        }
        root = try BundleNode.read(bundle.subtree("root"), fallbackName: name)
    }

    /// The executable nodes in order.
    var nodes: [BundleNode] { root.flattened }
}
