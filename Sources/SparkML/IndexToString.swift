import ConveyorCore

/// `IndexToString`: label indices back to strings from the `labels` param.
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
        // StringIndexer that produced it wrote; SparkMLStage binds those.
        labels = metadata.strings("labels")
    }

    var inputs: [ColumnSpec] { [ColumnSpec(input, .double)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(output, .string)] }

    var dataFacts: [Fact] { [Fact("labels", (labels ?? []).joined(separator: ", "))] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        guard let labels else {
            throw ConveyorError(.unsupportedModel, "IndexToString '\(metadata.uid)' has no labels and no StringIndexer "
                + "in the pipeline produces '\(input)'", stage: stage)
        }
        let values = try frame.require(input, stage: stage).optionalDoubles(stage: stage)
        let texts: [String?] = try values.enumerated().map { row, value in
            guard let value else { return nil }
            guard value > -1, value < Double(labels.count) else {
                throw ConveyorError(.invalidInput, "unseen index \(value): \(labels.count) labels (IndexToString)",
                                    stage: stage, row: frame.inputRow(row), column: input)
            }
            return labels[Int(value)]
        }
        var result = frame
        try result.put(Columns.strings(output, texts))
        return result
    }
}
