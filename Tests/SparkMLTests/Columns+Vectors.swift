import ConveyorCore

/// Vector columns from rows, nil for a null row (NaN-filled).
enum Columns {
    static func vectors(_ name: String, width: Int, _ rows: [[Double]?]) -> Column {
        var storage: [Double] = []
        storage.reserveCapacity(width * rows.count)
        for row in rows { storage += row ?? [Double](repeating: .nan, count: width) }
        let block = VectorBlock(width: width, storage: storage, rows: rows.count)
        return Column(name: name, type: .vector(width), values: .vector(block), nulls: rows.map { $0 == nil })
    }
}
