extension Column {
    /// The column as doubles, one per row: integers and booleans convert,
    /// nulls become NaN. Strings and vectors are refused with an error
    /// naming the column.
    public func scalarDoubles(stage: String? = nil) throws -> [Double] {
        var out: [Double]
        switch values {
        case .double(let v): out = v
        case .int(let v): out = v.map(Double.init)
        case .bool(let v): out = v.map { $0 ? 1 : 0 }
        case .string:
            throw ConveyorError(.invalidInput, "expected a numeric column, found string", stage: stage, column: name)
        case .vector, .stringLists:
            throw ConveyorError(.invalidInput, "expected a scalar column, found \(type)", stage: stage, column: name)
        }
        if let nulls {
            for (index, isNull) in nulls.enumerated() where isNull { out[index] = .nan }
        }
        return out
    }

    /// The column as a vector block; a numeric scalar column is a block of width 1.
    public func vectorBlock(stage: String? = nil) throws -> VectorBlock {
        if case .vector(let block) = values { return block }
        return VectorBlock(width: 1, storage: try scalarDoubles(stage: stage))
    }

    /// The column as strings (numbers are formatted), nulls as nil.
    public func optionalStrings() -> [String?] {
        let texts: [String]
        switch values {
        case .string(let v): texts = v.strings
        case .double(let v): texts = v.map { "\($0)" }
        case .int(let v): texts = v.map { "\($0)" }
        case .bool(let v): texts = v.map { "\($0)" }
        case .vector(let block): texts = (0..<block.rowCount).map { "\(Array(block.row($0)))" }
        case .stringLists(let lists): texts = (0..<lists.rowCount).map { "\(Array(lists.row($0)))" }
        }
        guard let nulls else { return texts }
        return zip(texts, nulls).map { $1 ? nil : $0 }
    }
}
