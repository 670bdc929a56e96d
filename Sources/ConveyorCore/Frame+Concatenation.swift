extension Frame {
    /// Stacks frames with the same columns (in the same order) row-wise;
    /// row numbers continue from one frame to the next.
    public init(concatenating frames: [Frame]) throws {
        guard let first = frames.first else {
            self.init(rowCount: 0)
            return
        }
        var columns: [Column] = []
        for (index, template) in first.columns.enumerated() {
            let parts = try frames.map { frame -> Column in
                guard index < frame.columns.count, frame.columns[index].name == template.name,
                      frame.columns[index].type == template.type else {
                    throw ConveyorError(.internal, "cannot concatenate frames with different columns", column: template.name)
                }
                return frame.columns[index]
            }
            columns.append(try Column(concatenating: parts))
        }
        try self.init(columns: columns)
    }
}

extension Frame {
    /// Rows `range` as a frame of their own, numbered from 0 (one request's
    /// share of a merged call).
    public func rows(_ range: Range<Int>) throws -> Frame {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw ConveyorError(.internal, "rows \(range) of a frame of \(rowCount) rows")
        }
        if range == 0..<rowCount { return try Frame(columns: columns) }
        var keep = [Bool](repeating: false, count: rowCount)
        for row in range { keep[row] = true }
        return try Frame(columns: columns.map { column in
            Column(name: column.name, type: column.type, values: column.values.filtered(keeping: keep),
                   nulls: column.nulls.map { Array($0[range]) })
        })
    }
}

extension Column {
    init(concatenating parts: [Column]) throws {
        let first = parts[0]
        func gather<T>(_ extract: (ColumnValues) -> [T]?) -> [T] {
            var out: [T] = []
            for part in parts { out.append(contentsOf: extract(part.values) ?? []) }
            return out
        }
        let values: ColumnValues
        switch first.values {
        case .double: values = .double(gather { if case .double(let v) = $0 { return v } else { return nil } })
        case .int: values = .int(gather { if case .int(let v) = $0 { return v } else { return nil } })
        case .bool: values = .bool(gather { if case .bool(let v) = $0 { return v } else { return nil } })
        case .string:
            values = .string(TextValues(concatenating: parts.compactMap {
                if case .string(let v) = $0.values { return v } else { return nil }
            }))
        case .vector(let block):
            let storage: [Double] = gather { if case .vector(let v) = $0 { return v.storage } else { return nil } }
            values = .vector(VectorBlock(width: block.width, storage: storage, rows: parts.reduce(0) { $0 + $1.count }))
        case .stringLists:
            values = .stringLists(StringLists(concatenating: parts.compactMap {
                if case .stringLists(let v) = $0.values { return v } else { return nil }
            }))
        }
        guard values.count == parts.reduce(0, { $0 + $1.count }) else {
            throw ConveyorError(.internal, "cannot concatenate columns of different storage", column: first.name)
        }
        let nulls: [Bool]? = parts.contains { $0.nulls != nil }
            ? parts.flatMap { $0.nulls ?? [Bool](repeating: false, count: $0.count) } : nil
        self.init(name: first.name, type: first.type, values: values, nulls: nulls)
    }
}
