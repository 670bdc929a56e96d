/// A parsed JSON or UBJSON value, just detailed enough to read a model's
/// parameters. Typed numeric arrays (the trees' bulk) are kept as a count
/// only, since nothing here needs their contents.
enum ModelValue: Sendable, Equatable {
    case object([String: ModelValue])
    case array([ModelValue])
    /// A UBJSON optimized array of numbers, of which only the length is kept.
    case numbers(count: Int)
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
        default: return nil
        }
    }

    var items: [ModelValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
