import Foundation

/// Just enough XML for S3's answers: the text of named elements, with the
/// five predefined entities and numeric references decoded.
enum S3XML {
    /// Texts of every `<tag>…</tag>` in `xml`, in order.
    static func values(_ tag: String, in xml: Substring) -> [String] {
        var results: [String] = []
        let open = "<\(tag)>", close = "</\(tag)>"
        var rest = xml[...]
        while let start = rest.range(of: open) {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            results.append(decode(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return results
    }

    static func value(_ tag: String, in xml: String) -> String? {
        values(tag, in: xml[...]).first
    }

    /// The `<Contents>` blocks of a ListObjectsV2 page.
    static func blocks(_ tag: String, in xml: String) -> [Substring] {
        var results: [Substring] = []
        var rest = xml[...]
        while let start = rest.range(of: "<\(tag)>"), let end = rest[start.upperBound...].range(of: "</\(tag)>") {
            results.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return results
    }

    /// The longest entity body looked for between `&` and `;` (`#x10FFFF`
    /// is 8, leading zeros allowed for), so a stray `&` costs a bounded
    /// look-ahead: searching the rest of the text for `;` made an answer
    /// full of bare `&` quadratic (30 KB took minutes; fuzzing/README.md).
    static let maxEntityLength = 16

    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&",
               let semicolon = text[index...].dropFirst().prefix(maxEntityLength + 1).firstIndex(of: ";") {
                let entity = text[text.index(after: index)..<semicolon]
                if let decoded = decodeEntity(entity) {
                    out.append(decoded)
                    index = text.index(after: semicolon)
                    continue
                }
            }
            out.append(character)
            index = text.index(after: index)
        }
        return out
    }

    private static func decodeEntity(_ entity: Substring) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let number = entity.dropFirst()
            let code = number.hasPrefix("x") ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
            return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
