import ConveyorCore
import Foundation

/// The string functions as Spark's UTF8String computes them: lengths and
/// positions count code points, `trim` removes spaces (U+0020) only,
/// `lower` is Java's (final sigma), `concat` is null when any argument is,
/// `concat_ws` skips nulls, `regexp_replace` and `split` run Java regexes
/// (split keeps trailing empty strings: Spark passes limit -1).
extension SQLEvaluator {
    func strings(_ function: SQLFunction, _ values: [SQLVector], node: SQLNode, active: [Bool]?) throws -> SQLVector {
        let n = rowCount
        var nulls = SQLVector.anyNull(values, count: n)
        func map(_ f: (String) -> String) -> SQLVector {
            let a = values[0].strings
            return SQLVector(values: .string((0..<n).map { nulls[$0] ? "" : f(a[$0]) }), nulls: nulls)
        }
        switch function {
        case .lower: return map(JavaLowercase.lowercased)
        case .upper: return map { $0.uppercased() }
        case .trim: return map { SQLEvaluator.trimSpaces($0, leading: true, trailing: true) }
        case .ltrim: return map { SQLEvaluator.trimSpaces($0, leading: true, trailing: false) }
        case .rtrim: return map { SQLEvaluator.trimSpaces($0, leading: false, trailing: true) }
        case .length:
            let a = values[0].strings
            return SQLVector(values: .int((0..<n).map { Int64(a[$0].unicodeScalars.count) }), nulls: nulls)
        case .concat:
            var out = [String](repeating: "", count: n)
            for value in values {
                let texts = value.strings
                for row in 0..<n where !nulls[row] { out[row] += texts[row] }
            }
            return SQLVector(values: .string(out), nulls: nulls)
        case .concatWS:
            let separator = values[0]
            let separators = separator.strings
            var out = [String](repeating: "", count: n)
            var started = [Bool](repeating: false, count: n)
            for value in values.dropFirst() {
                let texts = value.strings
                for row in 0..<n where !separator.nulls[row] && !value.nulls[row] {
                    if started[row] { out[row] += separators[row] }
                    out[row] += texts[row]
                    started[row] = true
                }
            }
            return SQLVector(values: .string(out), nulls: separator.nulls)
        case .substring:
            let a = values[0].strings, positions = values[1].ints
            let lengths = values.count > 2 ? values[2].ints : [Int64](repeating: Int64(Int32.max), count: n)
            return SQLVector(values: .string((0..<n).map {
                nulls[$0] ? "" : SQLEvaluator.substring(a[$0], position: positions[$0], length: lengths[$0])
            }), nulls: nulls)
        case .regexpReplace, .split:
            guard let regex = node.regex else { return .nulls(node.type, count: n) }
            let a = values[0].strings
            if function == .regexpReplace {
                let template = values[2].strings
                return SQLVector(values: .string((0..<n).map { row in
                    guard !nulls[row] else { return "" }
                    let text = a[row] as NSString
                    return regex.stringByReplacingMatches(in: a[row], range: NSRange(location: 0, length: text.length),
                                                          withTemplate: template[row])
                }), nulls: nulls)
            }
            let limits = values.count > 2 ? values[2].ints : [Int64](repeating: -1, count: n)
            let out = (0..<n).map { row -> [String] in
                nulls[row] ? [] : SQLEvaluator.split(a[row], regex: regex, emptyPattern: node.emptyPattern, limit: limits[row])
            }
            return SQLVector(values: .lists(out), nulls: nulls)
        default:
            nulls = [Bool](repeating: true, count: n)
            return .nulls(node.type, count: n)
        }
    }

    /// Spark's `trim`: spaces only, not tabs or newlines.
    static func trimSpaces(_ text: String, leading: Bool, trailing: Bool) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        if leading { while scalars.first == " " { scalars.removeFirst() } }
        if trailing { while scalars.last == " " { scalars.removeLast() } }
        return String(scalars)
    }

    /// `UTF8String.substringSQL`: 1-based, a negative start counts from the end, 0 acts as 1.
    static func substring(_ text: String, position: Int64, length: Int64) -> String {
        let scalars = Array(text.unicodeScalars)
        let count = Int64(scalars.count)
        var start: Int64 = position > 0 ? position - 1 : (position < 0 ? count + position : 0)
        let end = min(start + length, count)
        start = max(start, 0)
        guard start < end else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[Int(start)..<Int(end)])
        return String(out)
    }

    /// Java's `String.split(regex, limit)` (limit ≤ 0: all parts, trailing empties kept),
    /// and Spark's own split into characters for an empty pattern.
    static func split(_ text: String, regex: NSRegularExpression, emptyPattern: Bool, limit: Int64) -> [String] {
        if emptyPattern {
            let scalars = Array(text.unicodeScalars)
            guard !scalars.isEmpty else { return [""] }
            let parts = limit > 0 && limit < scalars.count ? Int(limit) : scalars.count
            var out = scalars[..<(parts - 1)].map { String($0) }
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: scalars[(parts - 1)...])
            out.append(String(rest))
            return out
        }
        let ns = text as NSString
        var parts: [String] = []
        var index = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if limit > 0 && parts.count == limit - 1 { break }
            // A zero-width match at the start yields no leading empty string.
            if match.range.location == 0 && match.range.length == 0 { continue }
            parts.append(ns.substring(with: NSRange(location: index, length: match.range.location - index)))
            index = match.range.location + match.range.length
        }
        parts.append(ns.substring(from: index))
        return parts
    }
}
