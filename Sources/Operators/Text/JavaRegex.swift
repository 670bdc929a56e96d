import Foundation

/// Java regex patterns (what Spark's RegexTokenizer compiles) on ICU's
/// engine (NSRegularExpression). The syntax is nearly the same; where the
/// meaning differs the pattern is rewritten or refused:
/// - Java's `\s`, `\d` and `\w` are ASCII-only unless the pattern sets
///   `(?U)`, ICU's are Unicode: they become the ASCII sets Java means.
/// - Java's `.` matches vertical tab and form feed, ICU's does not: it
///   becomes the set of everything but Java's line terminators.
/// - Refused (see `unsupportedFeature`): constructs whose Java and ICU
///   meanings differ and that cannot be rewritten simply.
enum JavaRegex {
    static func compile(_ pattern: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: translate(pattern))
    }

    private static let sets: [Character: (members: String, negated: Bool)] = [
        "s": (#"\t\n\x{0B}\f\r "#, false), "S": (#"\t\n\x{0B}\f\r "#, true),
        "d": ("0-9", false), "D": ("0-9", true),
        "w": ("a-zA-Z_0-9", false), "W": ("a-zA-Z_0-9", true),
    ]

    /// Java's `.` without DOTALL: anything but its five line terminators.
    private static let dot = #"[^\n\r\x{85}\x{2028}\x{2029}]"#

    /// Escapes Java and ICU read differently (property and POSIX classes,
    /// boundaries, line-break and horizontal/vertical classes, end anchors).
    private static let refusedEscapes: [Character: String] = [
        "p": "property classes (\\p{…}): Java's POSIX classes are ASCII, ICU's Unicode",
        "P": "property classes (\\P{…}): Java's POSIX classes are ASCII, ICU's Unicode",
        "b": "word boundaries (\\b)", "B": "word boundaries (\\B)", "R": "line breaks (\\R)",
        "X": "grapheme clusters (\\X)", "h": "horizontal whitespace (\\h)", "H": "horizontal whitespace (\\H)",
        "v": "vertical whitespace (\\v)", "V": "vertical whitespace (\\V)", "N": "named characters (\\N{…})",
        "G": "the end of the previous match (\\G)", "Z": "end of input before a line terminator (\\Z)",
    ]

    /// The first construct of `pattern` whose meaning Java and ICU do not
    /// share, described for a load error; nil when the pattern can run here.
    static func unsupportedFeature(_ pattern: String) -> String? {
        let chars = Array(pattern)
        var depth = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next == "Q" {
                    i = quoteEnd(chars, from: i)
                    continue
                }
                if let reason = refusedEscapes[next] { return reason }
                i += 2
                continue
            }
            if depth > 0 {
                if c == "[" || (c == "&" && i + 1 < chars.count && chars[i + 1] == "&") {
                    return "nested classes and intersections inside [...]"
                }
                if c == "]" { depth -= 1 }
            } else if c == "[" {
                depth = 1
                if i + 1 < chars.count, chars[i + 1] == ":" { return "POSIX bracket expressions ([:…:])" }
                // A `]` right after `[` or `[^` is a literal in both.
                if i + 1 < chars.count, chars[i + 1] == "]" { i += 1 }
                if i + 2 < chars.count, chars[i + 1] == "^", chars[i + 2] == "]" { i += 2 }
            } else if c == "$" {
                return "the end anchor ($), which also matches before a final line terminator"
            } else if c == "(", i + 1 < chars.count, chars[i + 1] == "?" {
                if let reason = flagGroup(chars, at: i + 2) { return reason }
            }
            i += 1
        }
        return nil
    }

    /// Inline flags (`(?i)`, `(?s:…)`) change matching in ways ICU does not
    /// share (Java's `(?i)` is ASCII-only); `(?U)` alone is what ICU does anyway.
    private static func flagGroup(_ chars: [Character], at start: Int) -> String? {
        var j = start
        var flags = ""
        while j < chars.count, "idmsuxcU-".contains(chars[j]) {
            flags.append(chars[j])
            j += 1
        }
        guard !flags.isEmpty, j < chars.count, chars[j] == ")" || chars[j] == ":" else { return nil }
        return flags == "U" ? nil : "inline flags (?\(flags))"
    }

    /// The index after a `\Q…\E` quote starting at `start` (or the end).
    private static func quoteEnd(_ chars: [Character], from start: Int) -> Int {
        var j = start + 2
        while j < chars.count, !(chars[j] == "\\" && j + 1 < chars.count && chars[j + 1] == "E") { j += 1 }
        return min(j + 2, chars.count)
    }

    /// `\s`, `\S`, `\d`, `\D`, `\w`, `\W` become explicit ASCII sets,
    /// outside or inside brackets, and `.` outside brackets Java's dot;
    /// quoted (`\Q…\E`) text is left alone.
    static func translate(_ pattern: String) -> String {
        let unicodeClasses = pattern.contains("(?U")
        let chars = Array(pattern)
        var out = ""
        var depth = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next == "Q" {
                    let end = quoteEnd(chars, from: i)
                    out += String(chars[i..<end])
                    i = end
                    continue
                }
                if !unicodeClasses, let set = sets[next] {
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
            if c == "." && depth == 0 {
                out += dot
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
