import ConveyorCore

/// One token of a statement, with its 1-based character position for messages.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A plain word (keyword or name); `quoted` for a backquoted identifier, never a keyword.
        case word(String, quoted: Bool)
        /// A number as written, with its Spark suffix (`L`, `D`, `S`, `Y`, `BD`, `F`) upper-cased.
        case number(String, suffix: String)
        case string(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var position: Int

    /// The upper-cased word when the token is an unquoted word.
    var keyword: String? {
        if case .word(let text, false) = kind { return text.uppercased() }
        return nil
    }
}

/// Splits a SQLTransformer statement into tokens as Spark's lexer does:
/// case-insensitive keywords, backquoted identifiers (`` `a``b` `` for a
/// backquote), strings in single or double quotes with backslash escapes,
/// `--` and `/* */` comments.
struct SQLLexer {
    static let maxLength = 65_536

    static func tokens(_ statement: String) throws -> [SQLToken] {
        guard statement.utf8.count <= maxLength else {
            throw SQLError.load("the statement is \(statement.utf8.count) bytes; the limit is \(maxLength)", at: 1)
        }
        let chars = Array(statement)
        var out: [SQLToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let position = i + 1
            if c.isWhitespace {
                i += 1
            } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                guard let end = find("*/", in: chars, from: i + 2) else { throw SQLError.load("unterminated comment", at: position) }
                i = end + 2
            } else if c == "`" {
                var text = ""
                i += 1
                while true {
                    guard i < chars.count else { throw SQLError.load("unterminated backquoted identifier", at: position) }
                    if chars[i] == "`" {
                        if i + 1 < chars.count, chars[i + 1] == "`" { text.append("`"); i += 2; continue }
                        i += 1
                        break
                    }
                    text.append(chars[i])
                    i += 1
                }
                out.append(SQLToken(kind: .word(text, quoted: true), position: position))
            } else if c == "'" || c == "\"" {
                let (text, end) = try SQLStringLiteral.read(chars, from: i)
                i = end
                out.append(SQLToken(kind: .string(text), position: position))
            } else if c.isNumber && c.isASCII || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                let (token, end) = number(chars, from: i)
                out.append(token)
                i = end
            } else if c.isLetter || c == "_" {
                var text = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
                    text.append(chars[i])
                    i += 1
                }
                out.append(SQLToken(kind: .word(text, quoted: false), position: position))
            } else {
                let three = String(chars[i..<min(i + 3, chars.count)])
                let two = String(chars[i..<min(i + 2, chars.count)])
                let symbol: String
                if three == "<=>" { symbol = three } else if ["<=", ">=", "<>", "!=", "==", "||", "::", "&&"].contains(two) {
                    symbol = two
                } else if "+-*/%(),.=<>!;~&|^[]:{}?".contains(c) { symbol = String(c) } else {
                    throw SQLError.load("unexpected character '\(c)'", at: position)
                }
                out.append(SQLToken(kind: .symbol(symbol), position: position))
                i += symbol.count
            }
        }
        out.append(SQLToken(kind: .end, position: chars.count + 1))
        return out
    }

    private static func find(_ needle: String, in chars: [Character], from start: Int) -> Int? {
        let pattern = Array(needle)
        var i = start
        while i + pattern.count <= chars.count {
            if Array(chars[i..<i + pattern.count]) == pattern { return i }
            i += 1
        }
        return nil
    }

    /// Digits, an optional fraction and exponent, then Spark's type suffix.
    private static func number(_ chars: [Character], from start: Int) -> (SQLToken, Int) {
        var i = start
        var text = ""
        func digits() { while i < chars.count, chars[i].isASCII, chars[i].isNumber { text.append(chars[i]); i += 1 } }
        digits()
        if i < chars.count, chars[i] == "." { text.append("."); i += 1; digits() }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                text += String(chars[i..<j])
                i = j
                digits()
            }
        }
        var suffix = ""
        let rest = String(chars[i..<min(i + 2, chars.count)]).uppercased()
        if rest == "BD" { suffix = "BD" } else if let first = rest.first, "LDSYF".contains(first) { suffix = String(first) }
        // A suffix counts only when no letter follows it (`1D` yes, `1Day` is a number then a word).
        let after = i + suffix.count
        if !suffix.isEmpty, after < chars.count, chars[after].isLetter || chars[after].isNumber || chars[after] == "_" { suffix = "" }
        return (SQLToken(kind: .number(text, suffix: suffix), position: start + 1), i + suffix.count)
    }
}
