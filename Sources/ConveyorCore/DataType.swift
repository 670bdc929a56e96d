/// The scalar types a column can hold: the names SageMaker's
/// `SAGEMAKER_SPARKML_SCHEMA` and MLeap's schemas use.
public enum ScalarType: String, Sendable, Codable, CaseIterable {
    case boolean, byte, short, int, long, float, double, string

    /// Accepts the spellings real schemas use (`integer` for `int`).
    public init?(schemaName: String) {
        switch schemaName.lowercased() {
        case "integer", "int": self = .int
        case "bool", "boolean": self = .boolean
        default:
            guard let value = ScalarType(rawValue: schemaName.lowercased()) else { return nil }
            self = value
        }
    }

    public var isNumeric: Bool { self != .string && self != .boolean }
    public var isIntegral: Bool { self == .byte || self == .short || self == .int || self == .long }
}

/// A column is a scalar per row, a fixed-width vector of doubles per row,
/// or a variable-length list of scalars per row (strings only, for now:
/// MLeap's `list<string>`, the tokens text ops pass along).
public enum ColumnShape: Sendable, Equatable, Hashable {
    case scalar
    /// `width == nil` means "known only when data arrives".
    case vector(width: Int?)
    case list
}

public struct ColumnType: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var scalar: ScalarType
    public var shape: ColumnShape

    public init(_ scalar: ScalarType, _ shape: ColumnShape = .scalar) {
        self.scalar = scalar
        self.shape = shape
    }

    public static let double = ColumnType(.double)
    public static let string = ColumnType(.string)
    public static func vector(_ width: Int?) -> ColumnType { ColumnType(.double, .vector(width: width)) }
    /// A list of strings per row.
    public static let stringList = ColumnType(.string, .list)

    public var isList: Bool { shape == .list }

    public var vectorWidth: Int? {
        if case .vector(let width) = shape { return width }
        return nil
    }

    public var isVector: Bool {
        if case .vector = shape { return true }
        return false
    }

    public var description: String {
        switch shape {
        case .scalar: return scalar.rawValue
        case .vector(let width?): return "vector<\(scalar.rawValue)>[\(width)]"
        case .vector(nil): return "vector<\(scalar.rawValue)>"
        case .list: return "list<\(scalar.rawValue)>"
        }
    }
}

/// A named, typed column as a stage declares it.
public struct ColumnSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var name: String
    public var type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }

    public var description: String { "\(name): \(type)" }
}
