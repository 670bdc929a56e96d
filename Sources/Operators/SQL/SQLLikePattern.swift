import ConveyorCore

/// A LIKE pattern (a literal, read at load): `%` any run of characters, `_`
/// one character (code point), `\` escapes `%`, `_` and `\`, as Spark's
/// `escapeLikeRegex`; any other escape is refused at load, as Spark refuses it.
struct SQLLikePattern: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case one
        case any
    }

    let pieces: [Piece]

    init(_ pattern: String, position: Int) throws {
        var pieces: [Piece] = []
        var scalars = Array(pattern.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            switch c {
            case "\\":
                guard let next = scalars.popFirst(), next == "%" || next == "_" || next == "\\" else {
                    throw SQLError.load("the LIKE pattern '\(pattern)' has an invalid escape: '\\' must precede '%', '_' or '\\'",
                                        at: position)
                }
                pieces.append(.literal(next))
            case "%": if pieces.last != .any { pieces.append(.any) }
            case "_": pieces.append(.one)
            default: pieces.append(.literal(c))
            }
        }
        self.pieces = pieces
    }

    /// Matches the whole string (backtracking over `%` with a memo-free two-pointer scan).
    func matches(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        var i = 0, p = 0
        var star = -1, mark = 0
        while i < s.count {
            if p < pieces.count, pieces[p] == .one || pieces[p] == .literal(s[i]) {
                i += 1
                p += 1
            } else if p < pieces.count, pieces[p] == .any {
                star = p
                mark = i
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                i = mark
            } else {
                return false
            }
        }
        while p < pieces.count, pieces[p] == .any { p += 1 }
        return p == pieces.count
    }
}
