import ConveyorCore

/// Spark's CountVectorizerModel: counts each vocabulary term (unknown terms
/// only count towards the document length), drops counts below `minTF`
/// (a fraction of the document's length when below 1), and writes 1 for
/// the rest when `binary`. The output is `vocabulary.count` wide.
public struct CountVectorizer: Kernel {
    public let input: String
    public let output: String
    public let width: Int
    public let minTF: Double
    public let binary: Bool
    public let nullRows: NullRows
    let index: UTF8Index

    public init(input: String, output: String, vocabulary: [String], minTF: Double, binary: Bool,
                nullRows: NullRows) {
        self.input = input
        self.output = output
        // Spark's `vocabulary.zipWithIndex.toMap`: a repeated term keeps its last index;
        // terms match byte for byte, as Java's String.equals does.
        index = UTF8Index(vocabulary, lastWins: true)
        width = vocabulary.count
        self.minTF = minTF
        self.binary = binary
        self.nullRows = nullRows
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, input, nullRows: nullRows, stage: stage)
        var block = VectorBlock(width: width, rows: lists.rowCount)
        var touched: [Int] = []
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let base = row * width
            let terms = lists.row(row)
            touched.removeAll(keepingCapacity: true)
            for term in terms {
                guard let position = index.index(of: term) else { continue }
                if block.storage[base + position] == 0 { touched.append(position) }
                block.storage[base + position] += 1
            }
            let effectiveMinTF = minTF >= 1 ? minTF : Double(terms.count) * minTF
            for position in touched {
                let count = block.storage[base + position]
                block.storage[base + position] = count < effectiveMinTF ? 0 : (binary ? 1 : count)
            }
        }
        block.markNulls(nulls)
        try frame.put(Column(name: output, type: .vector(width), values: .vector(block), nulls: nulls))
    }
}
