import ConveyorCore
import Operators

/// Reads a saved `IndexToString` into the IndexToString kernel; its labels
/// come from the `labels` param or, when unset, from the StringIndexer that
/// produced its input column (bound by SparkPipelineModel).
struct IndexToString: SparkTransformer {
    let metadata: SparkMetadata
    let input: String
    let output: String
    /// Nil until bound to the StringIndexer that made the input column.
    var labels: [String]?

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        input = try metadata.require(metadata.string("inputCol"), "inputCol")
        output = try metadata.require(metadata.string("outputCol"), "outputCol")
        // Without `labels` Spark reads the input column's ML attributes, which the
        // StringIndexer that produced it wrote; SparkPipelineModel binds those.
        labels = metadata.strings("labels")
    }

    var inputs: [ColumnSpec] { [ColumnSpec(input, .double)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(output, .string)] }

    var dataFacts: [Fact] { [Fact("labels", (labels ?? []).joined(separator: ", "))] }

    /// With its labels bound, the stage is the kernel, run in place.
    var kernelToFuse: (any Kernel)? {
        labels.map { Operators.IndexToString(input: input, output: output, labels: $0) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        guard let kernel = kernelToFuse else {
            throw ConveyorError(.unsupportedModel, "IndexToString '\(metadata.uid)' has no labels and no StringIndexer "
                + "in the pipeline produces '\(input)'", stage: stage)
        }
        return try kernel.transform(frame, stage: stage)
    }
}
