import Foundation

/// JSON text to the objects `JSONSerialization` gives (`[String: Any]`,
/// `[Any]`, `String`, `NSNumber`, `NSNull`), but with every number parsed
/// exactly. swift-corelibs-foundation's `JSONSerialization` rounds some
/// doubles to a neighbour (it reads 13.965933160519612 as
/// 13.965933160519615), which made exact comparisons with fixtures fail and
/// hid real last-bit differences behind tolerances. Tests read fixture and
/// response JSON with this instead.
public enum ExactJSON {
    public struct Malformed: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "malformed JSON at byte \(offset): \(reason)" }
    }

    public static func object(with data: Data) throws -> Any {
        var parser = Parser(bytes: [UInt8](data))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.fail("trailing bytes") }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var index = 0

        func fail(_ reason: String) -> Malformed { Malformed(offset: index, reason: reason) }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value() throws -> Any {
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: "t"): try literal("true"); return NSNumber(value: true)
            case UInt8(ascii: "f"): try literal("false"); return NSNumber(value: false)
            case UInt8(ascii: "n"): try literal("null"); return NSNull()
            default: return try number()
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw fail("expected \(word)")
            }
            index += expected.count
        }

        mutating func object() throws -> [String: Any] {
            index += 1
            var result: [String: Any] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return result }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                result[key] = try value()
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end in an object") }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "}") { return result }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
            }
        }

        mutating func array() throws -> [Any] {
            index += 1
            var result: [Any] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return result }
            while true {
                result.append(try value())
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end in an array") }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "]") { return result }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
            }
        }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { flush(); return String(scalars) }
                guard byte == UInt8(ascii: "\\") else { raw.append(byte); continue }
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    flush()
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: raw.append(escape)  // \" \\ \/
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4,
                  let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                throw fail("bad \\u escape")
            }
            index += 4
            return code
        }

        /// Integers as JSONSerialization gives them (Int when they fit), any
        /// other number through Swift's exact `Double(String)`.
        mutating func number() throws -> NSNumber {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if !text.contains(where: { ".eE".contains($0) }), let integer = Int(text) { return NSNumber(value: integer) }
            guard !text.isEmpty, let double = Double(text) else { throw fail("bad number '\(text)'") }
            return NSNumber(value: double)
        }
    }
}
