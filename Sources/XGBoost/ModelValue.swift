/// A parsed JSON or UBJSON value, just detailed enough to read a model's
/// parameters and check its trees. Of the trees' bulk arrays, floats are
/// kept as a count only (nothing here needs them); integers (child and
/// parent indices, split features, categories) are kept for `ModelCheck`.
enum ModelValue: Sendable, Equatable {
    case object([String: ModelValue])
    case array([ModelValue])
    /// A long array of numbers that are not all integers: only the length is kept.
    case numbers(count: Int)
    /// A long array of float32: exact from UBJSON; from JSON, parsed as
    /// doubles and narrowed.
    case floats([Float])
    /// A long array of integers. Values outside Int32 saturate to
    /// Int32.min/max: every field read from these arrays must lie below
    /// Int32.max to be valid, so a saturated value is still refused.
    case integers([Int32])
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    /// Numeric arrays up to this length (like `version`) keep their items.
    static let smallArray = 16

    subscript(key: String) -> ModelValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Follows a path of object keys.
    func at(_ path: String...) -> ModelValue? {
        var value: ModelValue? = self
        for key in path { value = value?[key] }
        return value
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// XGBoost stores most parameters as strings ("4"); accept numbers too.
    var integer: Int? {
        switch self {
        case .int(let value): return Int(exactly: value)
        case .double(let value): return Int(exactly: value)
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    var arrayCount: Int? {
        switch self {
        case .array(let items): return items.count
        case .numbers(let count): return count
        case .floats(let values): return values.count
        case .integers(let values): return values.count
        default: return nil
        }
    }

    var items: [ModelValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The integers of an array of any length (short arrays are `.array`),
    /// saturated to Int32; booleans count as 0/1. nil when an item is not
    /// an integer.
    var int32Items: [Int32]? {
        switch self {
        case .integers(let values): return values
        case .array(let items):
            var values: [Int32] = []
            values.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .int(let value): values.append(Int32(clamping: value))
                case .double(let value):
                    guard let integer = Self.saturatedInt32(value) else { return nil }
                    values.append(integer)
                case .bool(let flag): values.append(flag ? 1 : 0)
                default: return nil
                }
            }
            return values
        default: return nil
        }
    }

    /// The values of a numeric array as float32: exact for UBJSON float32
    /// arrays and for short arrays of floats read from them; nil for the
    /// long float arrays of a JSON document (only their length is kept).
    var floatItems: [Float]? {
        switch self {
        case .floats(let values): return values
        case .integers(let values): return values.map(Float.init)
        case .array(let items):
            var values: [Float] = []
            values.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .double(let value): values.append(Float(value))
                case .int(let value): values.append(Float(value))
                default: return nil
                }
            }
            return values
        default: return nil
        }
    }

    /// An integral double as Int32, saturating; nil for fractions, NaN, ±Inf.
    static func saturatedInt32(_ value: Double) -> Int32? {
        guard value.isFinite, value.rounded(.towardZero) == value else { return nil }
        if value >= Double(Int32.max) { return .max }
        if value <= Double(Int32.min) { return .min }
        return Int32(value)
    }
}
