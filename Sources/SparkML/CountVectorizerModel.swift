import ConveyorCore
import Operators

/// Reads a saved `CountVectorizerModel` (`vocabulary` in the data row;
/// `minTF` default 1, `binary` default false) into the CountVectorizer kernel.
struct CountVectorizerModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.CountVectorizer

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        let pair = try metadata.singleColumnPair()
        let row = try dir.singleRow()
        guard let items = row["vocabulary"]?.list else { throw metadata.failure("\(dir.what("vocabulary")) is not a list") }
        let vocabulary = try items.map { item in
            guard let term = item.string else { throw metadata.failure("\(dir.what("vocabulary")) holds a null") }
            return term
        }
        // Spark sizes its vectors by the distinct terms but indexes by position: a repeat breaks its output.
        // Distinct as Java's String.equals is (byte for byte): canonically equivalent spellings
        // (precomposed and decomposed "là") are two terms, which Swift's Set would merge.
        guard Set(vocabulary.map { Array($0.utf8) }).count == vocabulary.count else {
            throw metadata.failure("\(dir.what("vocabulary")) repeats a term")
        }
        let minTF = metadata.double("minTF") ?? 1
        guard minTF >= 0 else { throw metadata.failure("param 'minTF' is \(minTF); it must be at least 0") }
        kernel = Operators.CountVectorizer(input: pair.input, output: pair.output, vocabulary: vocabulary, minTF: minTF,
                                           binary: metadata.bool("binary") ?? false, nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .stringList)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [ColumnSpec(kernel.output, .vector(kernel.width))]
    }

    var dataFacts: [Fact] { [Fact("vocabulary", "\(kernel.width) terms")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
