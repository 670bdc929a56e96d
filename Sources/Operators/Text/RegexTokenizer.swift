import ConveyorCore
import Foundation

/// Spark's RegexTokenizer: optionally lower-cases, then splits at the
/// pattern (`gaps`) or takes its matches, and keeps tokens of at least
/// `minTokenLength` UTF-16 units (Java's `String.length`).
///
/// `\s` and `\s+` (Spark's default) split on ASCII whitespace bytes; any
/// other pattern runs on ICU's regex engine with Java's meaning of `\s`,
/// `\d`, `\w` and `.`; constructs the two engines read differently are
/// refused when the kernel is built (see `JavaRegex`).
public struct RegexTokenizer: Kernel {
    /// Why a pattern cannot run as Java would run it.
    public struct PatternError: Error, Sendable, CustomStringConvertible {
        public let description: String
        /// True when ICU compiles it but would match differently from Java.
        public let compiles: Bool
    }

    public let input: String
    public let output: String
    public let pattern: String
    public let gaps: Bool
    public let minTokenLength: Int
    public let lowercase: Bool
    public let nullRows: NullRows
    private let regex: NSRegularExpression?

    public init(input: String, output: String, pattern: String, gaps: Bool, minTokenLength: Int, lowercase: Bool,
                nullRows: NullRows) throws {
        self.input = input
        self.output = output
        self.pattern = pattern
        self.gaps = gaps
        self.minTokenLength = minTokenLength
        self.lowercase = lowercase
        self.nullRows = nullRows
        if Self.isWhitespacePattern(pattern) && gaps {
            regex = nil
            return
        }
        if let feature = JavaRegex.unsupportedFeature(pattern) {
            throw PatternError(description: "pattern '\(pattern)' uses \(feature), which Java and ICU match differently",
                               compiles: true)
        }
        do {
            regex = try JavaRegex.compile(pattern)
        } catch {
            throw PatternError(description: "pattern '\(pattern)' does not compile", compiles: false)
        }
    }

    static func isWhitespacePattern(_ pattern: String) -> Bool { pattern == "\\s" || pattern == "\\s+" }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (texts, nulls) = try Inputs.strings(frame, input, nullRows: nullRows, stage: stage)
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
        try frame.put(.stringLists(output, out, nulls: nulls))
    }
}
