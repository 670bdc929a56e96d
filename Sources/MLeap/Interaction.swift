import ConveyorCore
import Operators

/// Reads MLeap's interaction node into the shared Interaction kernel: per
/// input, `num_featuresN[k] == 1` keeps the numeric value, a larger count
/// one-hot encodes a category index.
struct Interaction: NodeTransformer {
    let name: String
    let op = "interaction"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    /// Per input, per element: 1 for numeric, else the category count.
    let encodings: [[Int]]
    let encodedWidths: [Int]
    let kernel: Operators.Interaction

    init(_ node: BundleNode) throws {
        let count = node.inputs.count
        guard count > 0, let output = node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction) has no inputs or no output")
        }
        encodings = try (0..<count).map { index in try node.attributes.ints("num_features\(index)") }
        guard encodings.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 1 && $0 <= MLeapLimits.maxWidth } }) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction): bad num_features")
        }
        // At most 2^24 each, fewer than 2^28 of them (model.json is capped): the sums cannot overflow.
        encodedWidths = encodings.map { $0.reduce(0, +) }
        let width = try MLeapLimits.product(encodedWidths, "encoded widths", node: node.name, op: "interaction")
        name = node.name
        inputNames = node.inputNames
        outputs = [ColumnSpec(output, .vector(width))]
        // MLeap's 1 means numeric; the shared kernel's numeric cardinality is 0.
        guard let kernel = Operators.Interaction(
            inputs: inputNames, output: output, cardinalities: encodings.map { $0.map { $0 == 1 ? 0 : $0 } },
            maxWidth: MLeapLimits.maxWidth)
        else { throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction): output wider than \(MLeapLimits.maxWidth)") }
        self.kernel = kernel
    }

    var details: [Fact] { [Fact("width", "\(outputs[0].type.vectorWidth ?? 0)")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
