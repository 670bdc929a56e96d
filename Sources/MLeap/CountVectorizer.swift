import ConveyorCore
import Operators

/// Reads a count_vectorizer node (`vocabulary`, `min_tf`, `binary`) into
/// the CountVectorizer kernel.
struct CountVectorizer: NodeTransformer {
    let name: String
    let op = "count_vectorizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.CountVectorizer

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        kernel = Operators.CountVectorizer(
            input: io.input, output: io.output, vocabulary: try attrs.strings("vocabulary"),
            minTF: attrs["min_tf"]?.double ?? 1, binary: try attrs.bool("binary", default: false), nullRows: .propagate)
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.width))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] {
        [Fact("vocabulary", "\(kernel.width)"), Fact("min tf", "\(kernel.minTF)"), Fact("binary", "\(kernel.binary)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
