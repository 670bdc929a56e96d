import ConveyorCore
import Operators

/// Reads a saved `SQLTransformer` (its `statement` param) into the SQL engine
/// (Operators/SQL). Semantics follow the Spark that saved the stage: Spark 4
/// and later evaluate in ANSI mode (division by zero, overflow and invalid
/// casts are row errors), Spark 2 and 3 in legacy mode (null or wrap-around),
/// each release's default for `spark.sql.ansi.enabled`. To serve a Spark 4
/// save with legacy semantics, set the stage's `sparkVersion` to a 3.x release
/// (docs/sql-transformer.md).
struct SQLTransformer: SparkTransformer {
    let metadata: SparkMetadata
    let engine: SQLTransform

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let statement = try metadata.require(metadata.string("statement"), "statement")
        let ansi = (metadata.sparkMajorVersion ?? 4) >= 4
        do {
            engine = try SQLTransform(statement: statement, ansi: ansi)
        } catch let error as ConveyorError {
            throw ConveyorError(error.code, "\(metadata.className) '\(metadata.uid)': \(error.message)", cause: error.cause)
        }
    }

    var inputs: [ColumnSpec] { engine.inputs }
    /// `SELECT *` reads every column.
    var readsOnlyItsInputs: Bool { false }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        do {
            return try engine.outputs(given: types)
        } catch let error as ConveyorError {
            throw ConveyorError(error.code, "\(metadata.className) '\(metadata.uid)': \(error.message)", cause: error.cause)
        }
    }

    var dataFacts: [Fact] {
        [Fact("sql semantics", engine.ansi ? "ANSI (Spark 4 default)" : "legacy (spark.sql.ansi.enabled=false, Spark 3)")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        try engine.transform(frame, stage: stage)
    }

    var tracer: (any Traceable)? { engine }
}
