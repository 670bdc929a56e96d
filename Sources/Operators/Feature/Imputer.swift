import ConveyorCore

/// Spark's ImputerModel: a missing value becomes its column's surrogate (the
/// mean, median or mode fitted at training). Missing is null, a value equal
/// to `missingValue` (NaN matches NaN, as in Spark SQL), and — MLeap's
/// runtime rule, whatever `missingValue` is — NaN when `nanIsMissing`.
public struct Imputer: Kernel {
    public let inputs: [String]
    public let outputs: [String]
    public let surrogates: [Double]
    public let missingValue: Double
    public let nanIsMissing: Bool

    public init(inputs: [String], outputs: [String], surrogates: [Double], missingValue: Double, nanIsMissing: Bool) {
        precondition(inputs.count == surrogates.count && outputs.count == surrogates.count)
        self.inputs = inputs
        self.outputs = outputs
        self.surrogates = surrogates
        self.missingValue = missingValue
        self.nanIsMissing = nanIsMissing || missingValue.isNaN
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var results: [Column] = []
        for index in inputs.indices {
            // Nulls already hold NaN; they are missing whatever the rule.
            var (values, nulls) = try Inputs.scalars(frame, inputs[index], stage: stage)
            let surrogate = surrogates[index]
            for row in 0..<values.count {
                let value = values[row]
                if value == missingValue || (value.isNaN && (nanIsMissing || nulls?[row] == true)) {
                    values[row] = surrogate
                }
            }
            results.append(.doubles(outputs[index], values))
        }
        for column in results { try frame.put(column) }
    }
}
