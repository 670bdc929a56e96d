import ConveyorCore
import Operators

/// Reads a saved `Word2VecModel` (Spark 2.2+ layout: one data row per word,
/// `word` and its float `vector`, over several part files) into the
/// Word2Vec kernel. Spark fails on a null sentence, so a null row is refused.
struct Word2VecModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Word2Vec

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        let pair = try metadata.singleColumnPair()
        let rows = try dir.parquetRows()
        guard let first = rows.first, first["word"] != nil else {
            throw metadata.failure("data has no 'word' rows (the Spark 2.0/2.1 layout, one row of wordIndex and "
                + "wordVectors, is not read; re-save the model with Spark 2.2 or later)")
        }
        var words: [String] = []
        var vectors: [Double] = []
        var size: Int?
        words.reserveCapacity(rows.count)
        for row in rows {
            guard let word = row["word"]?.string, let items = row["vector"]?.list else {
                throw metadata.failure("\(dir.what("word")) or \(dir.what("vector")) holds a null")
            }
            guard items.count == (size ?? items.count), !items.isEmpty else {
                throw metadata.failure("\(dir.what("vector")) rows differ in size")
            }
            size = items.count
            for item in items {
                guard let value = item.double else { throw metadata.failure("\(dir.what("vector")) holds a null") }
                vectors.append(value)
            }
            words.append(word)
        }
        guard Set(words).count == words.count else { throw metadata.failure("\(dir.what("word")) repeats a word") }
        if let declared = try metadata.int("vectorSize", in: 1...Int(Int32.max)), declared != size {
            throw metadata.failure("param 'vectorSize' is \(declared) but the vectors hold \(size ?? 0) values")
        }
        guard let kernel = Word2Vec(input: pair.input, output: pair.output, words: words, indices: Array(words.indices),
                                    vectors: vectors, nullRows: .refuse) else {
            throw metadata.failure("its words and vectors do not fit")
        }
        self.kernel = kernel
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .stringList)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .vector(kernel.size))] }

    var dataFacts: [Fact] { [Fact("words", "\(kernel.wordCount)"), Fact("vector size", "\(kernel.size)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
