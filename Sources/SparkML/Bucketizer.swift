import ConveyorCore
import Operators

/// `Bucketizer` (also what `QuantileDiscretizer` fits): values to bucket
/// indices by split points. NaN: error, skip (drop the row) or keep (an
/// extra last bucket); values outside the splits are always an error, as in Spark.
struct Bucketizer: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let splits: [[Double]]
    let handleInvalid: HandleInvalid

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        handleInvalid = try HandleInvalid(metadata)
        if pairs.count == 1, let single = metadata.doubles("splits"), !metadata.isSet("splitsArray") {
            splits = [single]
        } else {
            let arrays = try metadata.require(metadata.param("splitsArray")?.array, "splitsArray")
            splits = try arrays.map { list in
                let values = (list.array ?? []).compactMap(\.double)
                guard values.count == list.array?.count else { throw metadata.failure("a non-numeric split") }
                return values
            }
        }
        guard splits.count == pairs.count, splits.allSatisfy({ $0.count >= 3 && zip($0, $0.dropFirst()).allSatisfy(<) }) else {
            throw metadata.failure("splits must be one strictly increasing list of at least 3 points per column")
        }
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { pairs.map { ColumnSpec($0.output, .double) } }

    var dataFacts: [Fact] {
        zip(pairs, splits).map { Fact("splits of \($0.input)", $1.map { "\($0)" }.joined(separator: ", ")) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var columns = try pairs.map { try frame.require($0.input, stage: stage).optionalDoubles(stage: stage) }
        var working = frame
        if handleInvalid == .skip {
            // Spark drops rows with null or NaN in any input column first.
            let keep = (0..<frame.rowCount).map { row in columns.allSatisfy { $0[row].map { !$0.isNaN } ?? false } }
            if !keep.allSatisfy({ $0 }) {
                working = frame.filtered(keeping: keep)
                columns = columns.map { values in values.enumerated().filter { keep[$0.offset] }.map(\.element) }
            }
        }
        for (position, pair) in pairs.enumerated() {
            let cuts = splits[position]
            let buckets: [Double?] = try columns[position].enumerated().map { row, value in
                guard let value else { return nil }
                if value.isNaN {
                    guard handleInvalid == .keep else {
                        throw ConveyorError(.invalidInput, "NaN value (Bucketizer handleInvalid=error)",
                                            stage: stage, row: working.inputRow(row), column: pair.input)
                    }
                    return Double(cuts.count - 1)
                }
                if value == cuts[cuts.count - 1] { return Double(cuts.count - 2) }
                guard value >= cuts[0], value < cuts[cuts.count - 1] else {
                    throw ConveyorError(.invalidInput, "value \(value) is outside the Bucketizer bounds [\(cuts[0]), \(cuts[cuts.count - 1])]",
                                        stage: stage, row: working.inputRow(row), column: pair.input)
                }
                // The last split point not above the value.
                var low = 0, high = cuts.count - 1
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if cuts[middle] <= value { low = middle } else { high = middle }
                }
                return Double(low)
            }
            try working.put(Columns.doubles(pair.output, buckets))
        }
        return working
    }
}
