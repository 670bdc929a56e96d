import Foundation

/// Java regex patterns (what Spark's RegexTokenizer compiles) on ICU's
/// engine (NSRegularExpression). The syntax is nearly the same; the classes
/// differ: Java's `\s`, `\d` and `\w` are ASCII-only unless the pattern sets
/// `(?U)`, ICU's are Unicode. The pattern is rewritten with the ASCII sets
/// Java means. Left as ICU reads them: `\b` and `.` at line terminators.
enum JavaRegex {
    static func compile(_ pattern: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: translate(pattern))
    }

    private static let sets: [Character: (members: String, negated: Bool)] = [
        "s": (#"\t\n\x{0B}\f\r "#, false), "S": (#"\t\n\x{0B}\f\r "#, true),
        "d": ("0-9", false), "D": ("0-9", true),
        "w": ("a-zA-Z_0-9", false), "W": ("a-zA-Z_0-9", true),
    ]

    /// `\s`, `\S`, `\d`, `\D`, `\w`, `\W` become explicit ASCII sets,
    /// outside or inside brackets; quoted (`\Q…\E`) text is left alone.
    static func translate(_ pattern: String) -> String {
        if pattern.contains("(?U") { return pattern }
        let chars = Array(pattern)
        var out = ""
        var depth = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next == "Q" {
                    // Copy through the closing \E (or the end).
                    var j = i + 2
                    while j < chars.count, !(chars[j] == "\\" && j + 1 < chars.count && chars[j + 1] == "E") { j += 1 }
                    let end = min(j + 2, chars.count)
                    out += String(chars[i..<end])
                    i = end
                    continue
                }
                if let set = sets[next] {
                    if depth > 0 && !set.negated {
                        out += set.members
                    } else {
                        out += "[" + (set.negated ? "^" : "") + set.members + "]"
                    }
                } else {
                    out.append(c)
                    out.append(next)
                }
                i += 2
                continue
            }
            if c == "[" { depth += 1 }
            if c == "]" && depth > 0 { depth -= 1 }
            out.append(c)
            i += 1
        }
        return out
    }
}
