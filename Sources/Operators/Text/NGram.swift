import ConveyorCore

/// Spark's NGram: each run of `n` consecutive tokens joined by a space;
/// fewer than `n` tokens give none.
public struct NGram: Kernel {
    public let input: String
    public let output: String
    public let n: Int
    public let nullRows: NullRows

    /// `n` is at least 1 (the readers refuse anything else).
    public init(input: String, output: String, n: Int, nullRows: NullRows) {
        precondition(n >= 1)
        self.input = input
        self.output = output
        self.n = n
        self.nullRows = nullRows
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let n = self.n
        try TokenLists.map(&frame, input: input, output: output, nullRows: nullRows, stage: stage) { row, out in
            guard row.count >= n else { return }
            for start in row.startIndex...(row.endIndex - n) {
                out.appendElement(row[start..<(start + n)].joined(separator: " "))
            }
        }
    }
}
