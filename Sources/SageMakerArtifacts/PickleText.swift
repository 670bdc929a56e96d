/// Decoding of the text arguments of protocol 0 opcodes.
enum PickleText {
    struct Failure: Error { let message: String }

    /// `STRING`: a quoted Python literal, `'…'` or `"…"`, with backslash escapes.
    static func quoted(_ line: ArraySlice<UInt8>) throws -> [UInt8] {
        guard line.count >= 2, let quote = line.first, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\""),
              line.last == quote else {
            throw Failure(message: "STRING argument is not a quoted literal")
        }
        let body = Array(line.dropFirst().dropLast())
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = 0
        while index < body.count {
            let byte = body[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard index < body.count else { throw Failure(message: "STRING ends inside an escape") }
            let escaped = body[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < body.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[index]) {
                    value = value * 8 + Int(body[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                guard index + 2 <= body.count, let value = UInt8(String(decoding: body[index..<index + 2], as: UTF8.self), radix: 16) else {
                    throw Failure(message: "STRING has a bad \\x escape")
                }
                out.append(value)
                index += 2
            default:
                // \\, \', \" and unknown escapes keep the character.
                out.append(escaped)
            }
        }
        return out
    }

    /// `UNICODE`: raw-unicode-escape — `\uXXXX` and `\UXXXXXXXX` escapes,
    /// every other byte is the code point of the same value.
    static func rawUnicodeEscape(_ line: ArraySlice<UInt8>) throws -> [UInt32] {
        let bytes = Array(line)
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "u") || bytes[index + 1] == UInt8(ascii: "U") {
                let digits = bytes[index + 1] == UInt8(ascii: "u") ? 4 : 8
                guard index + 2 + digits <= bytes.count,
                      let value = UInt32(String(decoding: bytes[(index + 2)..<(index + 2 + digits)], as: UTF8.self), radix: 16) else {
                    throw Failure(message: "UNICODE has a bad \\u escape")
                }
                out.append(value)
                index += 2 + digits
            } else {
                out.append(UInt32(byte))
                index += 1
            }
        }
        return out
    }

    /// UTF-8 bytes (BINUNICODE) as scalars.
    static func utf8(_ bytes: ArraySlice<UInt8>) throws -> [UInt32] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(message: "BINUNICODE is not valid UTF-8")
        }
        return text.unicodeScalars.map(\.value)
    }
}
