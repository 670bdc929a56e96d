import ConveyorCore

/// `Binarizer`: 1.0 above the threshold, else 0.0 (single or multi-column,
/// scalars or vectors element-wise).
struct Binarizer: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let thresholds: [Double]

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        pairs = try metadata.columnPairs()
        if pairs.count == 1, !metadata.isSet("thresholds") {
            thresholds = [metadata.double("threshold") ?? 0]
        } else {
            thresholds = try metadata.require(metadata.doubles("thresholds"), "thresholds")
        }
        guard thresholds.count == pairs.count else { throw metadata.failure("one threshold per column is needed") }
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.map { ColumnSpec($0.output, types[$0.input].flatMap { $0.isVector ? $0 : nil } ?? .double) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var result = frame
        for (pair, threshold) in zip(pairs, thresholds) {
            let column = try frame.require(pair.input, stage: stage)
            if column.type.isVector {
                let (width, rows) = try column.optionalVectors(stage: stage)
                try result.put(Columns.vectors(pair.output, width: width, rows.map { $0?.map { $0 > threshold ? 1 : 0 } }))
            } else {
                let values = try column.optionalDoubles(stage: stage)
                try result.put(Columns.doubles(pair.output, values.map { $0.map { $0 > threshold ? 1 : 0 } }))
            }
        }
        return result
    }
}
