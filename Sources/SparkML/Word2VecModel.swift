import ConveyorCore
import Operators
import Parquet

/// Reads a saved `Word2VecModel` into the Word2Vec kernel: Spark 2.2+ writes
/// one data row per word (`word` and its float `vector`, over several part
/// files); Spark 2.0/2.1 one row holding `wordIndex` (word → row) and
/// `wordVectors` (every row's floats, back to back). Spark fails on a null
/// sentence, so a null row is refused.
struct Word2VecModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Word2Vec

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        let pair = try metadata.singleColumnPair()
        let rows = try dir.parquetRows()
        let (words, indices, vectors, size) = try rows.first?["wordIndex"] != nil
            ? Self.spark21(rows, dir) : Self.spark22(rows, dir)
        // Distinct as Java's String.equals is (byte for byte), not by Swift's canonical equivalence.
        guard Set(words.map { Array($0.utf8) }).count == words.count else {
            throw metadata.failure("\(dir.what("word")) repeats a word")
        }
        if let declared = try metadata.int("vectorSize", in: 1...Int(Int32.max)), declared != size {
            throw metadata.failure("param 'vectorSize' is \(declared) but the vectors hold \(size) values")
        }
        guard let kernel = Word2Vec(input: pair.input, output: pair.output, words: words, indices: indices,
                                    vectors: vectors, nullRows: .refuse) else {
            throw metadata.failure("its words and vectors do not fit")
        }
        self.kernel = kernel
    }

    typealias Vocabulary = (words: [String], indices: [Int], vectors: [Double], size: Int)

    /// Spark 2.2+: a row per word.
    static func spark22(_ rows: [ParquetValue], _ dir: SparkStageDirectory) throws -> Vocabulary {
        let metadata = dir.metadata
        guard let first = rows.first, first["word"] != nil else {
            throw metadata.failure("data has neither 'word' rows (Spark 2.2+) nor a 'wordIndex' row (Spark 2.0/2.1)")
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
        return (words, Array(words.indices), vectors, size ?? 0)
    }

    /// Spark 2.0/2.1: one row, `wordIndex` (a map of word → row) and
    /// `wordVectors` (rows × vectorSize floats).
    static func spark21(_ rows: [ParquetValue], _ dir: SparkStageDirectory) throws -> Vocabulary {
        let metadata = dir.metadata
        // The map arrives as its Parquet form: a group of repeated key_value records.
        let map = rows.first?["wordIndex"]
        guard rows.count == 1, let entries = map?["key_value"]?.list ?? map?.list,
              let flat = rows[0]["wordVectors"]?.list, !entries.isEmpty else {
            throw metadata.failure("the Spark 2.0/2.1 layout needs one row of 'wordIndex' and 'wordVectors'")
        }
        var words: [String] = []
        var indices: [Int] = []
        for entry in entries {
            guard let word = entry["key"]?.string, let index = entry["value"]?.int, index >= 0,
                  index < Int64(entries.count) else {
                throw metadata.failure("\(dir.what("wordIndex")) holds an entry that is not a word and a row below "
                    + "\(entries.count)")
            }
            words.append(word)
            indices.append(Int(index))
        }
        guard Set(indices).count == indices.count else { throw metadata.failure("\(dir.what("wordIndex")) repeats a row") }
        var vectors: [Double] = []
        vectors.reserveCapacity(flat.count)
        for item in flat {
            guard let value = item.double else { throw metadata.failure("\(dir.what("wordVectors")) holds a null") }
            vectors.append(value)
        }
        guard !vectors.isEmpty, vectors.count % words.count == 0 else {
            throw metadata.failure("\(dir.what("wordVectors")) holds \(vectors.count) values for \(words.count) words")
        }
        return (words, indices, vectors, vectors.count / words.count)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .stringList)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .vector(kernel.size))] }

    var dataFacts: [Fact] { [Fact("words", "\(kernel.wordCount)"), Fact("vector size", "\(kernel.size)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
