import ConveyorCore

/// Spark's Word2VecModel (`word_to_vector`): the average of the vectors of
/// a sentence's words, dividing by the number of all its words (unknown
/// ones included); an empty sentence gives zeros.
struct WordToVector: NodeTransformer {
    let name: String
    let op = "word_to_vector"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    /// Each word's offset in `vectors`.
    let offsets: [String: Int]
    /// Row-major, `size` per word, indexed as Spark's `wordIndex`.
    let vectors: [Double]
    let size: Int

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        let words = try attrs.strings("words")
        let indices = try attrs.ints("indices")
        vectors = try attrs.doubles("word_vectors")
        func corrupt(_ problem: String) -> ConveyorError {
            ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (word_to_vector): \(problem)")
        }
        guard !words.isEmpty, words.count == indices.count, vectors.count % words.count == 0 else {
            throw corrupt("\(words.count) words, \(indices.count) indices and \(vectors.count) vector values do not fit")
        }
        if let kernel = attrs["kernel"]?.string, kernel != "avg" {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (word_to_vector): kernel '\(kernel)' is not supported (only avg)")
        }
        size = vectors.count / words.count
        var offsets: [String: Int] = [:]
        for (word, index) in zip(words, indices) {
            guard index >= 0, index < words.count else { throw corrupt("word index \(index) is out of range") }
            offsets[word] = index * size
        }
        self.offsets = offsets
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(size))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] { [Fact("words", "\(offsets.count)"), Fact("vector size", "\(size)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, inputNames[0], stage: stage)
        var block = VectorBlock(width: size, rows: lists.rowCount)
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let sentence = lists.row(row)
            guard !sentence.isEmpty else { continue }
            let base = row * size
            for word in sentence {
                guard let offset = offsets[word] else { continue }
                for i in 0..<size { block.storage[base + i] += vectors[offset + i] }
            }
            // Spark scales by 1/count (BLAS.scal), not a division per element.
            let scale = 1.0 / Double(sentence.count)
            for i in 0..<size { block.storage[base + i] *= scale }
        }
        block.markNulls(nulls)
        try frame.put(Column(name: outputs[0].name, type: outputs[0].type, values: .vector(block), nulls: nulls))
    }
}
