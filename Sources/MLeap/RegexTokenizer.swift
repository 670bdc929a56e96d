import ConveyorCore
import Operators

/// Reads a regex_tokenizer node (`regex`, `match_gaps`, `token_min_length`,
/// `lowercase_text`; Spark's defaults when absent) into the RegexTokenizer
/// kernel.
struct RegexTokenizer: NodeTransformer {
    let name: String
    let op = "regex_tokenizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.RegexTokenizer

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
        // Spark's defaults: "\\s+", gaps, length 1, lower-case.
        do {
            kernel = try Operators.RegexTokenizer(
                input: io.input, output: io.output, pattern: attrs["regex"]?.string ?? "\\s+",
                gaps: try attrs.bool("match_gaps", default: true), minTokenLength: attrs["token_min_length"]?.int ?? 1,
                lowercase: try attrs.bool("lowercase_text", default: true), nullRows: .propagate)
        } catch let error as Operators.RegexTokenizer.PatternError {
            throw ConveyorError(error.compiles ? .unsupportedModel : .modelCorrupt,
                                "MLeap node '\(node.name)' (regex_tokenizer): \(error)")
        }
    }

    var inputType: ColumnType { .string }

    var details: [Fact] {
        [Fact("pattern", kernel.pattern), Fact("gaps", "\(kernel.gaps)"),
         Fact("min token length", "\(kernel.minTokenLength)"), Fact("lower-case", "\(kernel.lowercase)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
