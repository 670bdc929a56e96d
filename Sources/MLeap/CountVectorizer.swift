import ConveyorCore

/// Spark's CountVectorizerModel: counts each vocabulary term (unknown terms
/// only count towards the document length), drops counts below `min_tf`
/// (a fraction of the document's length when below 1), and writes 1 for
/// the rest when `binary`. The output is `vocabulary.count` wide.
struct CountVectorizer: NodeTransformer {
    let name: String
    let op = "count_vectorizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let index: [String: Int]
    let width: Int
    let minTF: Double
    let binary: Bool

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        let vocabulary = try attrs.strings("vocabulary")
        // Spark's `vocabulary.zipWithIndex.toMap`: a repeated term keeps its last index.
        index = Dictionary(vocabulary.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, last in last })
        width = vocabulary.count
        minTF = attrs["min_tf"]?.double ?? 1
        binary = try attrs.bool("binary", default: false)
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] {
        [Fact("vocabulary", "\(width)"), Fact("min tf", "\(minTF)"), Fact("binary", "\(binary)")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, inputNames[0], stage: stage)
        var block = VectorBlock(width: width, rows: lists.rowCount)
        var touched: [Int] = []
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let base = row * width
            let terms = lists.row(row)
            touched.removeAll(keepingCapacity: true)
            for term in terms {
                guard let position = index[term] else { continue }
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
        try frame.put(Column(name: outputs[0].name, type: outputs[0].type, values: .vector(block), nulls: nulls))
    }
}
