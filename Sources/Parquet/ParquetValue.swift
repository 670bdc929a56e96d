/// One value read from a Parquet file: a scalar, a list (LIST columns) or a
/// record (groups and whole rows). Model data is small and read once at
/// load, so a tree is simpler than typed column buffers here.
public indirect enum ParquetValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([ParquetValue])
    case record([String: ParquetValue])

    public subscript(field: String) -> ParquetValue? {
        if case .record(let fields) = self { return fields[field] }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Integers and floating point values as Double.
    public var double: Double? {
        switch self {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }

    public var int: Int64? {
        if case .int(let v) = self { return v }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var string: String? {
        switch self {
        case .string(let v): return v
        case .bytes(let v): return String(decoding: v, as: UTF8.self)
        default: return nil
        }
    }

    public var list: [ParquetValue]? {
        if case .list(let v) = self { return v }
        return nil
    }

    public var record: [String: ParquetValue]? {
        if case .record(let v) = self { return v }
        return nil
    }
}
