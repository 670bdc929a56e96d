/// Column storage: one contiguous array per column.
public enum ColumnValues: Sendable, Equatable {
    case double([Double])
    case int([Int64])
    case bool([Bool])
    case string(TextValues)
    case vector(VectorBlock)
    /// A list of strings per row (`ColumnShape.list`).
    case stringLists(StringLists)

    /// Strings computed by a stage (decoders fill a `TextValues.Builder`).
    public static func string(_ strings: [String]) -> ColumnValues {
        .string(TextValues(strings))
    }

    public var count: Int {
        switch self {
        case .double(let v): return v.count
        case .int(let v): return v.count
        case .bool(let v): return v.count
        case .string(let v): return v.count
        case .vector(let v): return v.rowCount
        case .stringLists(let v): return v.rowCount
        }
    }

    func filtered(keeping keep: [Bool]) -> ColumnValues {
        func pick<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(values.count)
            for (index, flag) in keep.enumerated() where flag { out.append(values[index]) }
            return out
        }
        switch self {
        case .double(let v): return .double(pick(v))
        case .int(let v): return .int(pick(v))
        case .bool(let v): return .bool(pick(v))
        case .string(let v): return .string(v.filtered(keeping: keep))
        case .vector(let v): return .vector(v.filtered(keeping: keep))
        case .stringLists(let v): return .stringLists(v.filtered(keeping: keep))
        }
    }
}

/// A named, typed column. `nulls[i] == true` marks a null in row `i`
/// (the stored value there is a placeholder: NaN, 0, false or "").
public struct Column: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var values: ColumnValues
    /// Stored under another name than `nulls` so that Swift synthesizes
    /// the memberwise `init(name:type:values:storedNulls:)`, which the
    /// public initializer (in an extension, to keep it synthesized) calls.
    /// A handwritten initializer built the column on the stack and then
    /// copied it out and destroyed the original, with every reference
    /// retained and released once more: about 250 instructions per column,
    /// nine columns in a one-row Spark request (callgrind, Swift 6.3).
    /// (A `let`: as a `var` it would default to nil in that initializer,
    /// which then could not be told from the public one.)
    @usableFromInline let storedNulls: [Bool]?

    /// Row `i` is null where `nulls[i]` is true; nil when no row is.
    @inlinable public var nulls: [Bool]? {
        _read { yield storedNulls }
    }
}

extension Column {
    public init(name: String, type: ColumnType, values: ColumnValues, nulls: [Bool]? = nil) {
        self.init(name: name, type: type, values: values, storedNulls: (nulls?.contains(true) ?? false) ? nulls : nil)
    }

    public static func doubles(_ name: String, _ values: [Double], nulls: [Bool]? = nil) -> Column {
        Column(name: name, type: .double, values: .double(values), nulls: nulls)
    }

    public static func strings(_ name: String, _ values: [String], nulls: [Bool]? = nil) -> Column {
        Column(name: name, type: .string, values: .string(TextValues(values)), nulls: nulls)
    }

    public static func strings(_ name: String, _ values: TextValues, nulls: [Bool]? = nil) -> Column {
        Column(name: name, type: .string, values: .string(values), nulls: nulls)
    }

    public static func vectors(_ name: String, _ block: VectorBlock) -> Column {
        Column(name: name, type: .vector(block.width), values: .vector(block))
    }

    public static func stringLists(_ name: String, _ lists: StringLists, nulls: [Bool]? = nil) -> Column {
        Column(name: name, type: .stringList, values: .stringLists(lists), nulls: nulls)
    }

    public var count: Int { values.count }
    public var spec: ColumnSpec { ColumnSpec(name, type) }

    public func isNull(_ row: Int) -> Bool { nulls?[row] ?? false }

    public func filtered(keeping keep: [Bool]) -> Column {
        Column(name: name, type: type, values: values.filtered(keeping: keep),
               nulls: nulls.map { n in n.enumerated().filter { keep[$0.offset] }.map(\.element) })
    }

    public func renamed(_ newName: String) -> Column {
        var copy = self
        copy.name = newName
        return copy
    }
}
