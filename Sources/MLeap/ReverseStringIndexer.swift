import ConveyorCore
import Operators

/// Reads a reverse_string_indexer node (`labels`) into the IndexToString kernel.
struct ReverseStringIndexer: NodeTransformer {
    let name: String
    let op = "reverse_string_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: IndexToString

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        name = node.name
        kernel = IndexToString(input: io.input, output: io.output, labels: try node.attributes.strings("labels"))
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .string)]
    }

    var details: [Fact] { [Fact("labels", "\(kernel.labels.count)")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var classNamer: IndexToString? { kernel }
}
