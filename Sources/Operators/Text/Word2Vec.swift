import ConveyorCore

/// Spark's Word2VecModel: the average of the vectors of a sentence's words,
/// dividing by the number of all its words (unknown ones included); an
/// empty sentence gives zeros.
public struct Word2Vec: Kernel {
    public let input: String
    public let output: String
    public let size: Int
    public let nullRows: NullRows
    /// Each word's row in `vectors`, matched byte for byte (Java's String.equals).
    let rows: UTF8Index
    /// `indices[i]`: the row of `words[i]`.
    let indices: [Int]
    /// Row-major, `size` per word.
    let vectors: [Double]

    /// Nil unless every word has a row: `indices[i]` is the row of `words[i]`
    /// in `vectors` (`size` values each).
    public init?(input: String, output: String, words: [String], indices: [Int], vectors: [Double],
                 nullRows: NullRows) {
        guard !words.isEmpty, words.count == indices.count, vectors.count % words.count == 0 else { return nil }
        let size = vectors.count / words.count
        guard indices.allSatisfy({ $0 >= 0 && $0 < words.count }) else { return nil }
        // A repeated word keeps its last row, as a Scala map built from the pairs does.
        let positions = UTF8Index(words, lastWins: true)
        self.input = input
        self.output = output
        self.size = size
        self.rows = positions
        self.indices = indices
        self.vectors = vectors
        self.nullRows = nullRows
    }

    public var wordCount: Int { rows.count }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, input, nullRows: nullRows, stage: stage)
        var block = VectorBlock(width: size, rows: lists.rowCount)
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let sentence = lists.row(row)
            guard !sentence.isEmpty else { continue }
            let base = row * size
            for word in sentence {
                guard let position = rows.index(of: word) else { continue }
                let offset = indices[position] * size
                for i in 0..<size { block.storage[base + i] += vectors[offset + i] }
            }
            // Spark scales by 1/count (BLAS.scal), not a division per element.
            let scale = 1.0 / Double(sentence.count)
            for i in 0..<size { block.storage[base + i] *= scale }
        }
        block.markNulls(nulls)
        try frame.put(Column(name: output, type: .vector(size), values: .vector(block), nulls: nulls))
    }
}
