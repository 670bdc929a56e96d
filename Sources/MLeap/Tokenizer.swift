import ConveyorCore
import Operators

/// Reads a tokenizer node into the Tokenizer kernel (a null text gives a
/// null list).
struct Tokenizer: NodeTransformer {
    let name: String
    let op = "tokenizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.Tokenizer

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
        kernel = Operators.Tokenizer(input: io.input, output: io.output, nullRows: .propagate)
    }

    var inputType: ColumnType { .string }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
