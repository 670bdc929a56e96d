import ConveyorCore

/// Errors of the SQL engine: load-time refusals name the position in the
/// statement; run-time errors name the row and the output column.
public enum SQLError {
    /// A statement refused at load (syntax, unsupported construct, type error).
    static func load(_ message: String, at position: Int) -> ConveyorError {
        ConveyorError(.unsupportedModel, "SQL statement, position \(position): \(message)")
    }

    /// An ANSI-mode error on one row (division by zero, overflow, invalid cast).
    static func row(_ errorClass: String, _ message: String, row: Int, column: String, expression: String) -> ConveyorError {
        ConveyorError(.invalidInput, "[\(errorClass)] \(message) in '\(expression)' (ANSI mode, as Spark 4 evaluates it; "
            + "docs/sql-transformer.md)", row: row, column: column)
    }
}

/// Spark's string literals (`unescapeSQLString`): single or double quotes,
/// backslash escapes, `\%` and `\_` kept as written (LIKE reads them).
enum SQLStringLiteral {
    static func read(_ chars: [Character], from start: Int) throws -> (String, Int) {
        let quote = chars[start]
        var text = ""
        var i = start + 1
        while true {
            guard i < chars.count else { throw SQLError.load("unterminated string literal", at: start + 1) }
            let c = chars[i]
            if c == quote { return (text, i + 1) }
            guard c == "\\", i + 1 < chars.count else {
                text.append(c)
                i += 1
                continue
            }
            let next = chars[i + 1]
            i += 2
            switch next {
            case "0"..."7":
                // Up to three octal digits.
                var value = 0
                var j = i - 1
                while j < chars.count, j < i + 2, let digit = chars[j].wholeNumberValue, digit < 8 { value = value * 8 + digit; j += 1 }
                i = j
                text.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: value)))
            case "b": text.append("\u{8}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "Z": text.append("\u{1A}")
            case "%", "_": text.append("\\"); text.append(next)
            case "u":
                let hex = String(chars[i..<min(i + 4, chars.count)])
                if hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    text.unicodeScalars.append(scalar)
                    i += 4
                } else {
                    text.append("u")
                }
            default: text.append(next)
            }
        }
    }
}
