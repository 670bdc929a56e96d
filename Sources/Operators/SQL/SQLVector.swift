import ConveyorCore

/// One evaluated expression over every row of a frame: a contiguous array
/// of values and a null flag per row (the value under a null is a placeholder).
struct SQLVector: Sendable {
    enum Values: Sendable {
        case bool([Bool])
        /// int and bigint alike; the expression's type says which range applies.
        case int([Int64])
        case double([Double])
        case string([String])
        case lists([[String]])
        /// A pass-through column (vectors and other types the engine does not compute with).
        case column(Column)
    }

    var values: Values
    var nulls: [Bool]

    var count: Int { nulls.count }

    static func nulls(_ type: SQLType, count: Int) -> SQLVector {
        let all = [Bool](repeating: true, count: count)
        switch type {
        case .boolean: return SQLVector(values: .bool(.init(repeating: false, count: count)), nulls: all)
        case .int, .long: return SQLVector(values: .int(.init(repeating: 0, count: count)), nulls: all)
        case .string: return SQLVector(values: .string(.init(repeating: "", count: count)), nulls: all)
        case .stringArray: return SQLVector(values: .lists(.init(repeating: [], count: count)), nulls: all)
        default: return SQLVector(values: .double(.init(repeating: .nan, count: count)), nulls: all)
        }
    }

    /// Per row: whether any of `vectors` is null there.
    static func anyNull(_ vectors: [SQLVector], count: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        for vector in vectors { for row in 0..<count where vector.nulls[row] { out[row] = true } }
        return out
    }

    var bools: [Bool] { if case .bool(let v) = values { return v }; return [Bool](repeating: false, count: count) }
    var ints: [Int64] { if case .int(let v) = values { return v }; return [Int64](repeating: 0, count: count) }
    var doubles: [Double] { if case .double(let v) = values { return v }; return [Double](repeating: .nan, count: count) }
    var strings: [String] { if case .string(let v) = values { return v }; return [String](repeating: "", count: count) }

    /// Reads a frame column as the engine's type for it.
    init(column: Column, type: SQLType) {
        nulls = column.nulls ?? [Bool](repeating: false, count: column.count)
        switch (type, column.values) {
        case (.boolean, .bool(let v)): values = .bool(v)
        case (.int, .int(let v)), (.long, .int(let v)): values = .int(v)
        case (.double, .double(let v)): values = .double(v)
        case (.string, .string(let v)): values = .string(v.strings)
        case (.stringArray, .stringLists(let lists)): values = .lists((0..<lists.rowCount).map { Array(lists.row($0)) })
        default: values = .column(column)
        }
    }

    init(values: Values, nulls: [Bool]) {
        self.values = values
        self.nulls = nulls
    }

    /// The output column named `name` of type `type`.
    func column(_ name: String, type: SQLType) -> Column {
        let columnType = type.columnType ?? .double
        switch values {
        case .bool(let v): return Column(name: name, type: columnType, values: .bool(v), nulls: nulls)
        case .int(let v): return Column(name: name, type: columnType, values: .int(v), nulls: nulls)
        case .double(let v): return Column(name: name, type: columnType, values: .double(v), nulls: nulls)
        case .string(let v): return Column(name: name, type: columnType, values: .string(v), nulls: nulls)
        case .lists(let rows):
            return Column(name: name, type: .stringList, values: .stringLists(StringLists(rows)), nulls: nulls)
        case .column(let column): return column.renamed(name)
        }
    }
}
