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

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}
