import ConveyorCore

/// Reading the columns text ops take: strings, and lists of strings.
extension Inputs {
    /// A string column's values (nulls hold "") and its null mask.
    static func strings(_ frame: Frame, _ name: String, stage: String) throws -> (values: [String], nulls: [Bool]?) {
        let column = try frame.require(name, stage: stage)
        guard case .string(let values) = column.values else {
            throw ConveyorError(.invalidInput, "expected a string column, found \(column.type)", stage: stage, column: name)
        }
        return (values, column.nulls)
    }

    /// A list-of-strings column (null rows are empty lists) and its null mask.
    static func lists(_ frame: Frame, _ name: String, stage: String) throws -> (lists: StringLists, nulls: [Bool]?) {
        let column = try frame.require(name, stage: stage)
        guard case .stringLists(let lists) = column.values else {
            throw ConveyorError(
                .invalidInput, "expected a list of strings per row, found \(column.type)", stage: stage, column: name)
        }
        return (lists, column.nulls)
    }
}

/// Text ops with one input column and one output column, whose output
/// keeps the input's nulls (a null text gives a null list or vector).
extension BundleNode {
    /// The `input` and `output` sockets of a one-in, one-out text node.
    func textIO() throws -> (input: String, output: String) {
        guard let input = input(port: "input") ?? inputs.first?.name,
              let output = output(port: "output") ?? outputs.first?.name
        else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) needs an input and an output column")
        }
        return (input, output)
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
