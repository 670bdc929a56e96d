/// What `Booster.predict` returns.
public enum PredictionOutput: Int32, Sendable {
    /// The objective's output: probabilities, class index (multi:softmax), values.
    case value = 0
    /// Raw margins before the objective's transform (K per row for multi-class).
    case margin = 1
}

/// Predictions for `rows` rows, `groups` values per row, row-major.
public struct Prediction: Sendable, Equatable {
    public var values: [Float]
    public var rows: Int
    public var groups: Int

    public init(values: [Float], rows: Int, groups: Int) {
        precondition(values.count == rows * groups, "prediction shape does not match its values")
        self.values = values
        self.rows = rows
        self.groups = groups
    }

    public subscript(row: Int, group: Int) -> Float {
        values[row * groups + group]
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * groups)..<((index + 1) * groups)]
    }
}
