import ConveyorCore

/// What a text op does with a null input row. MLeap passes it through (a
/// null text gives a null list or vector); Spark's text transformers run
/// Scala functions that throw on null, so Spark fails the job.
public enum NullRows: Sendable {
    /// The output row is null.
    case propagate
    /// The request is refused, naming the row and column.
    case refuse
}

/// Reading the columns text ops take: strings, lists of strings, vectors.
extension Inputs {
    /// A string column's values (nulls hold "") and its null mask.
    static func strings(_ frame: Frame, _ name: String, nullRows: NullRows, stage: String) throws
        -> (values: TextValues, nulls: [Bool]?)
    {
        let column = try frame.require(name, stage: stage)
        guard case .string(let values) = column.values else {
            throw ConveyorError(.invalidInput, "expected a string column, found \(column.type)", stage: stage, column: name)
        }
        try check(column.nulls, nullRows, frame, name, stage: stage)
        return (values, column.nulls)
    }

    /// A list-of-strings column (null rows are empty lists) and its null mask.
    static func lists(_ frame: Frame, _ name: String, nullRows: NullRows, stage: String) throws
        -> (lists: StringLists, nulls: [Bool]?)
    {
        let column = try frame.require(name, stage: stage)
        guard case .stringLists(let lists) = column.values else {
            throw ConveyorError(
                .invalidInput, "expected a list of strings per row, found \(column.type)", stage: stage, column: name)
        }
        try check(column.nulls, nullRows, frame, name, stage: stage)
        return (lists, column.nulls)
    }

    /// Under `.refuse`, the first null row is an invalid-input error.
    static func check(_ nulls: [Bool]?, _ policy: NullRows, _ frame: Frame, _ name: String, stage: String) throws {
        guard policy == .refuse, let nulls, let row = nulls.firstIndex(of: true) else { return }
        throw invalidRow("null value: Spark's transformer fails on a null row", frame, row: row, column: name, stage: stage)
    }
}

extension VectorBlock {
    /// Fills the rows marked null with NaN, the placeholder null vectors hold.
    mutating func markNulls(_ nulls: [Bool]?) {
        guard let nulls else { return }
        for (row, isNull) in nulls.enumerated() where isNull {
            for i in (row * width)..<((row + 1) * width) { storage[i] = .nan }
        }
    }
}
