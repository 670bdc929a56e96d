import ConveyorCore
import Operators

/// Reads a string_indexer node: one label list (`labels`) or, from Spark 3,
/// one per input (`labels_length` + `labels_array_N`).
struct StringIndexer: NodeTransformer {
    let name: String
    let op = "string_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.StringIndexer

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        let labels: [[String]]
        if attrs.has("labels_length") {
            let count = try attrs.size("labels_length")
            guard count == node.inputs.count else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (string_indexer): labels_length \(count) for \(node.inputs.count) inputs")
            }
            labels = try (0..<count).map { try attrs.strings("labels_array_\($0)") }
        } else {
            labels = [try attrs.strings("labels")]
        }
        guard node.inputs.count == labels.count, node.outputs.count == labels.count else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (string_indexer): \(labels.count) label lists for "
                    + "\(node.inputs.count) inputs and \(node.outputs.count) outputs")
        }
        name = node.name
        inputNames = node.inputNames
        outputs = node.outputNames.map { ColumnSpec($0, .double) }
        kernel = Operators.StringIndexer(inputs: node.inputNames, outputs: node.outputNames, labels: labels,
                               handleInvalid: try attrs.handleInvalid())
    }

    var labels: [[String]] { kernel.labels }
    var handleInvalid: HandleInvalid { kernel.handleInvalid }
    var inputType: ColumnType { .string }

    var details: [Fact] {
        zip(inputNames, labels).map { Fact("labels", "\($0.1.count) for '\($0.0)'") }
            + [Fact("handle_invalid", handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}
