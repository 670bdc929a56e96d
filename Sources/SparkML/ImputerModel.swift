import ConveyorCore
import Operators

/// Reads a saved `ImputerModel` (surrogates in the data row, `missingValue`
/// default NaN) into the Imputer kernel.
struct ImputerModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let kernel: Imputer

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        let row = try dir.singleRow()
        let surrogates = try pairs.map { pair in
            try metadata.require(row[pair.input]?.double, "surrogate for '\(pair.input)'")
        }
        kernel = Imputer(inputs: pairs.map(\.input), outputs: pairs.map(\.output), surrogates: surrogates,
                         missingValue: metadata.double("missingValue") ?? .nan, nanIsMissing: false)
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { pairs.map { ColumnSpec($0.output, .double) } }

    var dataFacts: [Fact] {
        [Fact("surrogates", zip(pairs, kernel.surrogates).map { "\($0.input)=\($1)" }.joined(separator: ", "))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
