import ConveyorCore

/// `ImputerModel`: nulls and `missingValue` (default NaN) replaced by the
/// fitted surrogate of each column (mean, median or mode, as trained).
struct ImputerModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let surrogates: [Double]
    let missingValue: Double

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        missingValue = metadata.double("missingValue") ?? .nan
        let row = try dir.singleRow()
        surrogates = try pairs.map { pair in
            try metadata.require(row[pair.input]?.double, "surrogate for '\(pair.input)'")
        }
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { pairs.map { ColumnSpec($0.output, .double) } }

    var dataFacts: [Fact] {
        [Fact("surrogates", zip(pairs, surrogates).map { "\($0.input)=\($1)" }.joined(separator: ", "))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var result = frame
        for (pair, surrogate) in zip(pairs, surrogates) {
            let values = try frame.require(pair.input, stage: stage).optionalDoubles(stage: stage)
            let filled: [Double?] = values.map { value in
                guard let value else { return surrogate }
                let missing = missingValue.isNaN ? value.isNaN : value == missingValue
                return missing ? surrogate : value
            }
            try result.put(Columns.doubles(pair.output, filled))
        }
        return result
    }
}
