import ConveyorCore

/// Spark's Tokenizer: `text.toLowerCase.split("\\s")` — lower-cases, then
/// splits at every single ASCII whitespace character (Java's `\s`: space,
/// tab, LF, VT, FF, CR) with Java's `String.split` rules: empty tokens
/// between consecutive spaces stay, trailing empty tokens go, and an empty
/// text gives one empty token.
public struct Tokenizer: Kernel {
    public let input: String
    public let output: String
    public let nullRows: NullRows

    public init(input: String, output: String, nullRows: NullRows) {
        self.input = input
        self.output = output
        self.nullRows = nullRows
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (texts, nulls) = try Inputs.strings(frame, input, nullRows: nullRows, stage: stage)
        var out = StringLists()
        out.reserveCapacity(rows: texts.count, elements: texts.count * 4)
        for (row, text) in texts.enumerated() {
            if nulls?[row] != true {
                JavaSplit.whitespace(JavaLowercase.lowercased(text), collapsing: false, into: &out)
            }
            out.endRow()
        }
        try frame.put(.stringLists(output, out, nulls: nulls))
    }
}
