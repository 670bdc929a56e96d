import ConveyorCore
import Operators
import Parquet

/// `ColumnPruner`, a private stage of RFormulaModel's pipeline: drops the
/// formula's temporary columns (string indices, one-hot vectors).
struct ColumnPruner: SparkTransformer {
    let metadata: SparkMetadata
    let columns: Set<String>

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        guard let list = try dir.singleRow()["columnsToPrune"]?.list else {
            throw metadata.failure("data lacks 'columnsToPrune'")
        }
        columns = Set(try list.map { try metadata.require($0.string, "columnsToPrune element") })
    }

    var inputs: [ColumnSpec] { [] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var out = frame
        out.removeColumns { columns.contains($0) }
        return out
    }

    var keepsLineage: Bool { true }
}

/// `VectorAttributeRewriter`, a private stage of RFormulaModel's pipeline:
/// renames the ML attributes of the features vector; its values are unchanged.
struct VectorAttributeRewriter: SparkTransformer {
    let metadata: SparkMetadata

    init(_ dir: SparkStageDirectory) throws { metadata = dir.metadata }

    var inputs: [ColumnSpec] { [] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { frame }

    var keepsLineage: Bool { true }
}
