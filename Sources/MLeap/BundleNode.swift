import Archives
import ConveyorCore

/// A node of a bundle: `model.json` (op and attributes), `node.json`
/// (name and input/output sockets), and for pipelines the child nodes in
/// execution order.
struct BundleNode: Sendable {
    struct Socket: Sendable, Equatable {
        let port: String
        let name: String
    }

    let name: String
    let op: String
    let attributes: Attributes
    let inputs: [Socket]
    let outputs: [Socket]
    let children: [BundleNode]
    /// The node's directory, for ops that keep extra files (tree.json).
    let files: FileTree

    /// Reads the node stored in `files` (its directory); `fallbackName`
    /// is used when there is no `node.json` (trees inside a forest).
    static func read(_ files: FileTree, fallbackName: String, depth: Int = 0) throws -> BundleNode {
        guard depth < 32 else {
            throw ConveyorError(.modelCorrupt, "'\(files.source)': pipelines nested too deeply")
        }
        let model = try JSONValue.parse(try files.require("model.json"), file: files.source + "/model.json")
        guard let op = model["op"]?.string else {
            throw ConveyorError(.modelCorrupt, "'\(files.source)/model.json' has no 'op'")
        }
        var name = fallbackName
        var inputs: [Socket] = []
        var outputs: [Socket] = []
        if let nodeData = files["node.json"] {
            let node = try JSONValue.parse(nodeData, file: files.source + "/node.json")
            name = node["name"]?.string ?? fallbackName
            inputs = sockets(node["shape"]?["inputs"])
            outputs = sockets(node["shape"]?["outputs"])
        }
        var values: [String: Attribute] = [:]
        for (key, value) in model["attributes"]?.object ?? [:] { values[key] = Attribute(raw: value) }
        let attributes = Attributes(values: values, node: name, op: op)
        var children: [BundleNode] = []
        if op == "pipeline" {
            for child in try attributes.strings("nodes") {
                let dir = child + ".node"
                guard files.paths.contains(where: { $0.hasPrefix(dir + "/") }) else {
                    throw ConveyorError(
                        .modelCorrupt, "'\(files.source)': pipeline '\(name)' lists node '\(child)' but has no '\(dir)/'")
                }
                children.append(try read(files.subtree(dir), fallbackName: child, depth: depth + 1))
            }
        }
        return BundleNode(
            name: name, op: op, attributes: attributes, inputs: inputs, outputs: outputs,
            children: children, files: files)
    }

    private static func sockets(_ value: JSONValue?) -> [Socket] {
        (value?.array ?? []).compactMap { item in
            guard let name = item["name"]?.string else { return nil }
            return Socket(port: item["port"]?.string ?? "", name: name)
        }
    }

    /// The leaf nodes in execution order (pipelines flattened).
    var flattened: [BundleNode] {
        op == "pipeline" ? children.flatMap(\.flattened) : [self]
    }

    /// Input column names in port order (`input`, `input0`, `input1`, …).
    var inputNames: [String] { inputs.map(\.name) }
    var outputNames: [String] { outputs.map(\.name) }

    func output(port: String) -> String? { outputs.first { $0.port == port }?.name }
    func input(port: String) -> String? { inputs.first { $0.port == port }?.name }

    /// A regression node's `features` input and `prediction` output (or its
    /// first input and output when the ports are unnamed).
    func featuresAndPrediction() throws -> (features: String, prediction: String) {
        guard let features = input(port: "features") ?? inputNames.first,
              let prediction = output(port: "prediction") ?? outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) has no features/prediction")
        }
        return (features, prediction)
    }
}
