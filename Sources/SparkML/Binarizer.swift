import ConveyorCore
import Operators

/// Reads a saved `Binarizer` (`threshold`, or `thresholds` for many columns)
/// into the Binarizer kernel.
struct Binarizer: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: Operators.Binarizer

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        pairs = try metadata.columnPairs()
        let thresholds: [Double]
        if pairs.count == 1, !metadata.isSet("thresholds") {
            thresholds = [metadata.double("threshold") ?? 0]
        } else {
            thresholds = try metadata.require(metadata.doubles("thresholds"), "thresholds")
        }
        guard thresholds.count == pairs.count else { throw metadata.failure("one threshold per column is needed") }
        kernel = Operators.Binarizer(inputs: pairs.map(\.input), outputs: pairs.map(\.output), thresholds: thresholds)
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.map { ColumnSpec($0.output, types[$0.input].flatMap { $0.isVector ? $0 : nil } ?? .double) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var out = try kernel.transform(frame, stage: stage)
        // Spark binarizes a null double as 0.0 (`when(!isnan(c) && c > t, 1.0).otherwise(0.0)`);
        // the shared kernel keeps nulls null, as MLeap does.
        for pair in pairs {
            guard let input = frame.column(pair.input), !input.type.isVector, input.nulls?.contains(true) == true,
                  let output = out.column(pair.output) else { continue }
            var values = try output.scalarDoubles(stage: stage)
            for row in values.indices where input.isNull(row) { values[row] = 0 }
            try out.put(.doubles(pair.output, values))
        }
        return out
    }
}
