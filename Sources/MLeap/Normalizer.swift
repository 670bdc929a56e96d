import ConveyorCore
import Operators

/// Reads a normalizer node (`p_norm`; the width from the input column or
/// `input_size`) into the Normalizer kernel.
struct Normalizer: NodeTransformer {
    let name: String
    let op = "normalizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.Normalizer

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        let p = try node.attributes.double("p_norm")
        let width = try types.width(of: io.input) ?? node.attributes.optionalSize("input_size")
        guard let kernel = Operators.Normalizer(input: io.input, output: io.output, p: p, width: width) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (normalizer): p_norm \(p) is below 1")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    var inputType: ColumnType { .vector(kernel.width) }

    var details: [Fact] { [Fact("p", "\(kernel.p)"), Fact("width", kernel.width.map(String.init) ?? "?")] }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
