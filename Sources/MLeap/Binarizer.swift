import ConveyorCore
import Operators

/// Reads a binarizer node (`threshold`; a vector input when the column or
/// `input_shape` says so) into the Binarizer kernel.
struct Binarizer: NodeTransformer {
    let name: String
    let op = "binarizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.Binarizer

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        kernel = Operators.Binarizer(inputs: [io.input], outputs: [io.output],
                                     thresholds: [try node.attributes.double("threshold")])
        name = node.name
        inputNames = [io.input]
        let shape = node.attributes["input_shape"]?.raw["data_shape"]
        let inputType = types.types[io.input]
        if let inputType, inputType.isVector {
            outputs = [ColumnSpec(io.output, inputType)]
        } else if shape?["base"]?.string == "tensor" {
            let width = shape?["tensorShape"]?["dimensions"]?.array?.first?["size"]?.double.flatMap { Int(exactly: $0) }
                .map { Swift.min(Swift.max($0, -1), MLeapLimits.maxWidth + 1) }
            outputs = [ColumnSpec(io.output, .vector(width))]
        } else {
            outputs = [ColumnSpec(io.output, .double)]
        }
    }

    var details: [Fact] { [Fact("threshold", "\(kernel.thresholds[0])")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
