import ConveyorCore

/// The Spark SQL types the engine computes with. Frames carry int (Int32
/// semantics), long, double, string and boolean scalars; vectors and string
/// lists pass through untouched (a plain column reference or `*`).
enum SQLType: Sendable, Equatable, CustomStringConvertible {
    /// The type of a bare NULL literal; it takes the type of what it meets.
    case null
    case boolean, int, long, double, string
    /// Only decimal literals (`1.5`); they meet doubles as doubles and are refused with integers.
    case decimal
    /// `split`'s result: Spark's `array<string>`, a frame's list column.
    case stringArray
    /// A frame column the engine can only pass through (vectors, floats, bytes, shorts).
    case opaque(ColumnType)

    init(_ type: ColumnType) {
        switch (type.shape, type.scalar) {
        case (.scalar, .boolean): self = .boolean
        case (.scalar, .int): self = .int
        case (.scalar, .long): self = .long
        case (.scalar, .double): self = .double
        case (.scalar, .string): self = .string
        case (.list, .string): self = .stringArray
        default: self = .opaque(type)
        }
    }

    /// Spark's name of the type (`simpleString`), as messages and fixtures spell it.
    var description: String {
        switch self {
        case .null: return "void"
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "bigint"
        case .double: return "double"
        case .string: return "string"
        case .decimal: return "decimal"
        case .stringArray: return "array<string>"
        case .opaque(let type): return type.isVector ? "vector" : type.description
        }
    }

    var isNumeric: Bool { self == .int || self == .long || self == .double || self == .decimal }
    var isIntegral: Bool { self == .int || self == .long }

    /// The column type of an output of this type.
    var columnType: ColumnType? {
        switch self {
        case .boolean: return ColumnType(.boolean)
        case .int: return ColumnType(.int)
        case .long: return ColumnType(.long)
        case .double: return .double
        case .string: return .string
        case .stringArray: return .stringList
        case .opaque(let type): return type
        case .null, .decimal: return nil
        }
    }

    /// The type a CAST target names, or nil when the engine has no such type.
    init?(castTarget name: String) {
        switch name {
        case "INT": self = .int
        case "BIGINT": self = .long
        case "DOUBLE": self = .double
        case "STRING": self = .string
        case "BOOLEAN": self = .boolean
        default: return nil
        }
    }

    /// Numeric widening: int < bigint < double (a decimal literal meets a double as a double).
    static func widerNumeric(_ a: SQLType, _ b: SQLType) -> SQLType? {
        let order: [SQLType] = [.int, .long, .decimal, .double]
        guard let x = order.firstIndex(of: a), let y = order.firstIndex(of: b) else { return nil }
        return order[max(x, y)]
    }
}
