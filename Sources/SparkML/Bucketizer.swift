import ConveyorCore
import Operators

/// Reads a saved `Bucketizer` (`splits`, or `splitsArray` for many columns)
/// into the Bucketizer kernel.
struct Bucketizer: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: Operators.Bucketizer

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        let splits: [[Double]]
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
        kernel = Operators.Bucketizer(inputs: pairs.map(\.input), outputs: pairs.map(\.output), splits: splits,
                                      handleInvalid: try HandleInvalid(metadata))
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { pairs.map { ColumnSpec($0.output, .double) } }

    var dataFacts: [Fact] {
        zip(pairs, kernel.splits).map { Fact("splits of \($0.input)", $1.map { "\($0)" }.joined(separator: ", ")) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
