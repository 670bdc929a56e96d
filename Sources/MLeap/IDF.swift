import ConveyorCore
import Operators

/// Reads an idf node (`idf`) into the IDF kernel.
struct IDF: NodeTransformer {
    let name: String
    let op = "idf"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.IDF

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        kernel = Operators.IDF(input: io.input, output: io.output, idf: try node.attributes.doubles("idf"),
                               nullRows: .propagate)
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.idf.count))]
    }

    var inputType: ColumnType { .vector(kernel.idf.count) }

    var details: [Fact] { [Fact("width", "\(kernel.idf.count)")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
