import ConveyorCore
import Operators

/// Reads the list-to-list text nodes — ngram (`n`), stopwords_remover
/// (`stop_words`, `case_sensitive`) and MLeap's own word_filter (`length`)
/// — into their kernels. A null list stays null.
struct TokenFilter: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: any Kernel
    let details: [Fact]

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        name = node.name
        op = node.op
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
        switch node.op {
        case "ngram":
            let n = attrs["n"]?.int ?? 2
            guard n >= 1 else { throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (ngram): n is \(n)") }
            kernel = Operators.NGram(input: io.input, output: io.output, n: n, nullRows: .propagate)
            details = [Fact("n", "\(n)")]
        case "stopwords_remover":
            let caseSensitive = try attrs.bool("case_sensitive", default: false)
            let remover = Operators.StopWordsRemover(
                inputs: [io.input], outputs: [io.output], stopWords: try attrs.strings("stop_words"),
                caseSensitive: caseSensitive, nullRows: .propagate)
            kernel = remover
            details = [Fact("stop words", "\(remover.stopWordCount)"), Fact("case sensitive", "\(caseSensitive)")]
        default:  // word_filter
            let length = attrs["length"]?.int ?? 3
            kernel = Operators.WordLengthFilter(input: io.input, output: io.output, length: length)
            details = [Fact("longer than", "\(length)")]
        }
    }

    var inputType: ColumnType { .stringList }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel as? any Traceable }
}
