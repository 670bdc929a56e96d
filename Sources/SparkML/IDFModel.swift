import ConveyorCore
import Operators
import Parquet

/// Reads a saved `IDFModel` (the `idf` vector of its data row; Spark 3+
/// also saves `docFreq` and `numDocs`, which `transform` does not use) into
/// the IDF kernel.
struct IDFModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.IDF

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let pair = try metadata.singleColumnPair()
        let row = try dir.singleRow()
        let idf = try SparkVector(row["idf"], what: dir.what("idf")).dense
        kernel = Operators.IDF(input: pair.input, output: pair.output, idf: idf, nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .vector(kernel.idf.count))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [ColumnSpec(kernel.output, .vector(kernel.idf.count))]
    }

    var dataFacts: [Fact] { [Fact("width", "\(kernel.idf.count)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
