import ConveyorCore
import Foundation

/// Spark's RegexTokenizer: optionally lower-cases, then splits at the
/// pattern (`gaps`) or takes its matches, and keeps tokens of at least
/// `minTokenLength` UTF-16 units (Java's `String.length`).
///
/// `\s` and `\s+` (Spark's default) split on ASCII whitespace bytes; any
/// other pattern runs on ICU's regex engine with Java's ASCII meaning of
/// `\s`, `\d` and `\w` (see `JavaRegex`).
struct RegexTokenizer: NodeTransformer {
    let name: String
    let op = "regex_tokenizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let pattern: String
    let gaps: Bool
    let minTokenLength: Int
    let lowercase: Bool
    private let regex: NSRegularExpression?

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .stringList)]
        // Spark's defaults: "\\s+", gaps, length 1, lower-case.
        pattern = attrs["regex"]?.string ?? "\\s+"
        gaps = try attrs.bool("match_gaps", default: true)
        minTokenLength = attrs["token_min_length"]?.int ?? 1
        lowercase = try attrs.bool("lowercase_text", default: true)
        if Self.isWhitespacePattern(pattern) && gaps {
            regex = nil
        } else {
            do {
                regex = try JavaRegex.compile(pattern)
            } catch {
                throw ConveyorError(
                    .modelCorrupt, "MLeap node '\(node.name)' (regex_tokenizer): pattern '\(pattern)' does not compile")
            }
        }
    }

    static func isWhitespacePattern(_ pattern: String) -> Bool { pattern == "\\s" || pattern == "\\s+" }

    var inputType: ColumnType { .string }

    var details: [Fact] {
        [Fact("pattern", pattern), Fact("gaps", "\(gaps)"), Fact("min token length", "\(minTokenLength)"),
         Fact("lower-case", "\(lowercase)")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let (texts, nulls) = try Inputs.strings(frame, inputNames[0], stage: stage)
        var out = StringLists()
        out.reserveCapacity(rows: texts.count, elements: texts.count * 4)
        var scratch = StringLists()
        for (row, original) in texts.enumerated() {
            defer { out.endRow() }
            if nulls?[row] == true { continue }
            let text = lowercase ? JavaLowercase.lowercased(original) : original
            let tokens: [String]
            if let regex {
                let ns = text as NSString
                let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map(\.range)
                tokens = gaps ? JavaSplit.split(ns, matches: matches) : matches.map { ns.substring(with: $0) }
            } else {
                scratch = StringLists()
                JavaSplit.whitespace(text, collapsing: pattern == "\\s+", into: &scratch)
                scratch.endRow()
                tokens = Array(scratch.row(0))
            }
            for token in tokens where token.utf16.count >= minTokenLength { out.appendElement(token) }
        }
        try frame.put(.stringLists(outputs[0].name, out, nulls: nulls))
    }
}
