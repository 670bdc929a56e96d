import ConveyorCore
import Foundation

/// Java's `Pattern.split(text)` (limit 0) for the patterns tokenizers use.
enum JavaSplit {
    /// Java's `\s` without `UNICODE_CHARACTER_CLASS`.
    static func isJavaSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Splits at `\s` (or `\s+` when collapsing) on UTF-8 bytes; the
    /// separators are ASCII, so byte offsets are character boundaries.
    static func whitespace(_ text: String, collapsing: Bool, into out: inout StringLists) {
        var text = text
        text.withUTF8 { bytes in
            var parts: [Range<Int>] = []
            var start = 0
            var i = 0
            var matched = false
            while i < bytes.count {
                guard isJavaSpace(bytes[i]) else {
                    i += 1
                    continue
                }
                var end = i + 1
                if collapsing { while end < bytes.count, isJavaSpace(bytes[end]) { end += 1 } }
                parts.append(start..<i)
                matched = true
                start = end
                i = end
            }
            guard matched else {
                out.appendElement(String(decoding: bytes, as: UTF8.self))
                return
            }
            parts.append(start..<bytes.count)
            while let last = parts.last, last.isEmpty { parts.removeLast() }
            for part in parts {
                out.appendElement(String(decoding: UnsafeBufferPointer(rebasing: bytes[part]), as: UTF8.self))
            }
        }
    }

    /// Java's split rules over any pattern's matches (UTF-16 ranges of `text`).
    static func split(_ text: NSString, matches: [NSRange]) -> [String] {
        var parts: [String] = []
        var index = 0
        for match in matches {
            // A zero-width match at the start yields no leading empty token.
            if index == 0 && match.location == 0 && match.length == 0 { continue }
            parts.append(text.substring(with: NSRange(location: index, length: match.location - index)))
            index = match.location + match.length
        }
        if index == 0 { return [text as String] }
        parts.append(text.substring(from: index))
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return parts
    }
}
