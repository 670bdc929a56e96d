/// A byte scan of a JSON model for what would make our parser and
/// libxgboost 1.7.4's read different documents, so that the model we check
/// is the model libxgboost loads:
/// - a key given twice: Foundation keeps the first, libxgboost the last
///   (a clean tree could hide a hostile one);
/// - an escaped key: Foundation decodes `\u005f`, libxgboost keeps it raw;
/// - JSON5 extras Foundation accepts and libxgboost reads otherwise
///   (unquoted or single-quoted keys, comments);
/// - bare tokens that are not JSON numbers or XGBoost's words (Foundation
///   traps on some).
/// XGBoost writes none of these.
enum JSONKeyCheck {
    static func check(_ bytes: [UInt8]) throws(XGBoostError) {
        // Keys seen per open container; nil for arrays.
        var keys: [Set<ArraySlice<UInt8>>?] = []
        var lastString: Range<Int>?
        var lastStringEscaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { escaped = true; end += 1 }
                    end += 1
                }
                guard end < bytes.count else { return }  // unterminated: the parser refuses it
                lastString = start..<end
                lastStringEscaped = escaped
                index = end + 1
                continue
            case UInt8(ascii: ":"):
                guard let range = lastString else { throw refuse("a key that is not a double-quoted string", at: index) }
                guard !lastStringEscaped else { throw refuse("an escaped key", at: range.lowerBound) }
                guard let last = keys.indices.last, let insertion = keys[last]?.insert(bytes[range]) else {
                    throw refuse("a ':' outside an object", at: index)
                }
                guard insertion.inserted else {
                    throw refuse("the key \"\(String(decoding: bytes[range].prefix(64), as: UTF8.self))\" twice in one object",
                                 at: range.lowerBound)
                }
            case UInt8(ascii: "{"): keys.append([])
            case UInt8(ascii: "["): keys.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = keys.popLast()
            case UInt8(ascii: "/"), UInt8(ascii: "'"):
                throw refuse("a comment or single-quoted string (JSON5)", at: index)
            case 0x20, 0x0A, 0x0D, 0x09:
                index += 1
                continue  // whitespace may sit between a key and its ':'
            default:
                guard Self.isTokenByte(byte) else { break }
                let start = index
                while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
                var next = index
                while next < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[next]) { next += 1 }
                if next < bytes.count, bytes[next] == UInt8(ascii: ":") {
                    throw refuse("a key that is not a double-quoted string", at: start)
                }
                try checkToken(bytes[start..<index], at: start)
                lastString = nil
                continue
            }
            lastString = nil
            index += 1
        }
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    static let words: Set<ArraySlice<UInt8>> = Set(["true", "false", "null", "NaN", "Infinity", "-Infinity"]
        .map { ArraySlice($0.utf8) })

    /// A bare token must be a JSON number (XGBoost writes no other form) or
    /// one of the words XGBoost writes. Foundation's JSON5 scanner traps on
    /// some malformed numbers (`1.05E-`, found by fuzzing/run.sh xgboost-json)
    /// instead of throwing, so they never reach it.
    static func checkToken(_ token: ArraySlice<UInt8>, at offset: Int) throws(XGBoostError) {
        guard !words.contains(token) else { return }
        var index = token.startIndex
        func digits() -> Int {
            let start = index
            while index < token.endIndex, token[index] >= UInt8(ascii: "0"), token[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        if index < token.endIndex, token[index] == UInt8(ascii: "-") { index += 1 }
        let first = index
        var valid = digits() > 0 && !(token[first] == UInt8(ascii: "0") && index - first > 1)
        if valid, index < token.endIndex, token[index] == UInt8(ascii: ".") {
            index += 1
            valid = digits() > 0
        }
        if valid, index < token.endIndex, token[index] == UInt8(ascii: "e") || token[index] == UInt8(ascii: "E") {
            index += 1
            if index < token.endIndex, token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-") {
                index += 1
            }
            valid = digits() > 0
        }
        guard valid, index == token.endIndex else {
            throw XGBoostError(.corruptModel, "the JSON model has a malformed number or word \""
                + "\(String(decoding: token.prefix(32), as: UTF8.self))\" at byte \(offset)")
        }
    }

    private static func refuse(_ what: String, at offset: Int) -> XGBoostError {
        XGBoostError(.corruptModel, "the JSON model has \(what) at byte \(offset); XGBoost never writes that "
            + "and libxgboost would read it differently")
    }
}
