import ConveyorCore

/// JSON as Spark's metadata files hold it, which is not strict JSON:
/// Python-written params may contain bare `NaN`/`Infinity` (xgboost.spark's
/// `missing`), and Scala writes infinite doubles as the strings "Inf"/"-Inf".
indirect enum SparkJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SparkJSON])
    case object([String: SparkJSON])

    subscript(key: String) -> SparkJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// Numbers, and the spellings Spark and Python use for non-finite doubles.
    var double: Double? {
        switch self {
        case .number(let v): return v
        case .string(let s):
            switch s {
            case "NaN": return .nan
            case "Inf", "Infinity", "+Inf": return .infinity
            case "-Inf", "-Infinity": return -.infinity
            default: return Double(s)
            }
        default: return nil
        }
    }

    var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    var array: [SparkJSON]? {
        if case .array(let v) = self { return v }
        return nil
    }

    static func parse(_ bytes: [UInt8], file: String) throws -> SparkJSON {
        var parser = Parser(bytes: bytes, file: file)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.failure("trailing characters") }
        return value
    }

    /// Values one metadata file may hold: params are small, and each parsed
    /// value costs tens of bytes, so a file of `[0,0,…]` is refused early.
    static let maxValues = 1 << 20

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var index = 0
        var values = 0

        func failure(_ message: String) -> ConveyorError {
            ConveyorError(.modelCorrupt, "'\(file)' is not valid Spark metadata JSON: \(message) at byte \(index)")
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func literal(_ text: String) -> Bool {
            let utf8 = Array(text.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else { return false }
            index += utf8.count
            return true
        }

        mutating func value(depth: Int) throws -> SparkJSON {
            guard depth < 64 else { throw failure("nesting deeper than 64") }
            values += 1
            guard values <= SparkJSON.maxValues else { throw failure("more than \(SparkJSON.maxValues) values") }
            skipSpace()
            guard index < bytes.count else { throw failure("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: SparkJSON] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value(depth: depth + 1) else { throw failure("expected a key") }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                    index += 1
                    members[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
                    index += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [SparkJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            default:
                if literal("null") { return .null }
                if literal("true") { return .bool(true) }
                if literal("false") { return .bool(false) }
                if literal("NaN") { return .number(.nan) }
                if literal("Infinity") { return .number(.infinity) }
                if literal("-Infinity") { return .number(-.infinity) }
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                    throw failure("unexpected character")
                }
                return .number(number)
            }
        }

        mutating func string() throws -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw failure("unfinished escape") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                              var code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                            throw failure("bad \\u escape")
                        }
                        index += 4
                        // A surrogate pair spells one scalar.
                        if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                           let low = UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16),
                           (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        }
                        out += Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
                    default: out.append(escape)
                    }
                default: out.append(byte)
                }
            }
            throw failure("unterminated string")
        }
    }
}
