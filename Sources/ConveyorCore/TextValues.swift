/// A string column's values, read as a collection of `String`.
///
/// Two storages behind one type. Decoders keep a request's text fields as
/// UTF-8 bytes with row offsets, straight from the body: no `String` is made
/// per field, and the label lookups and encoders that most pipelines start
/// and end with read the bytes (`withUTF8(_:_:)`, `forEachUTF8(_:)`).
/// Stages that compute strings keep Swift `String`s. A `String` is made from
/// the bytes only where a consumer asks for one by subscript.
public struct TextValues: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case strings([String])
        /// Row `i` is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the
        /// first), valid UTF-8.
        case utf8(bytes: [UInt8], ends: [Int])
    }

    @usableFromInline
    let storage: Storage

    @inlinable
    public init(_ strings: [String]) {
        storage = .strings(strings)
    }

    /// Bytes already checked to be UTF-8 (`Builder` checks them).
    @usableFromInline
    init(utf8 bytes: [UInt8], ends: [Int]) {
        storage = .utf8(bytes: bytes, ends: ends)
    }

    /// Whether the values are stored as UTF-8 bytes (else as Swift strings).
    public var storesBytes: Bool {
        if case .utf8 = storage { return true }
        return false
    }

    /// The values as Swift strings (made from the bytes, if need be).
    public var strings: [String] {
        if case .strings(let strings) = storage { return strings }
        return Array(self)
    }

    /// Calls `body` with row `row`'s UTF-8 bytes, without making a `String`
    /// where the bytes are stored.
    @inlinable
    public func withUTF8<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .utf8(let bytes, let ends):
            let start = row == 0 ? 0 : ends[row - 1]
            return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[row]])) }
        case .strings(let strings):
            var string = strings[row]
            return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Calls `body` with each row's index and UTF-8 bytes, in order: one
    /// pass over stored bytes, for loops over every row.
    @inlinable
    public func forEachUTF8(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        switch storage {
        case .utf8(let bytes, let ends):
            try bytes.withUnsafeBytes { stored in
                try ends.withUnsafeBufferPointer { ends in
                    var start = 0
                    for row in ends.indices {
                        let end = ends[row]
                        try body(row, UnsafeRawBufferPointer(rebasing: stored[start..<end]))
                        start = end
                    }
                }
            }
        case .strings(let strings):
            try strings.withUnsafeBufferPointer { strings in
                for row in strings.indices {
                    // Native strings (small ones included) lend their bytes in place.
                    let lent = try strings[row].utf8.withContiguousStorageIfAvailable {
                        try body(row, UnsafeRawBufferPointer($0))
                    }
                    if lent == nil {
                        var string = strings[row]
                        try string.withUTF8 { try body(row, UnsafeRawBufferPointer($0)) }
                    }
                }
            }
        }
    }

    /// The values of the rows whose flag is true.
    func filtered(keeping keep: [Bool]) -> TextValues {
        if case .strings(let strings) = storage {
            return TextValues(strings.indices.filter { keep[$0] }.map { strings[$0] })
        }
        var texts = Builder(rows: keep.count)
        forEachUTF8 { row, bytes in if keep[row] { texts.appendValid(bytes) } }
        return texts.take()
    }

    /// The rows at `indexes`, in that order; stored bytes stay bytes.
    public func picking(_ indexes: [Int]) -> TextValues {
        if case .strings(let strings) = storage { return TextValues(indexes.map { strings[$0] }) }
        var texts = Builder(rows: indexes.count)
        for index in indexes { withUTF8(index) { texts.appendValid($0) } }
        return texts.take()
    }

    /// Stacks columns row-wise; stored bytes stay bytes.
    public init(concatenating parts: [TextValues]) {
        guard parts.allSatisfy({ if case .utf8 = $0.storage { true } else { false } }) else {
            self.init(parts.flatMap(\.strings))
            return
        }
        var texts = Builder(rows: parts.reduce(0) { $0 + $1.count })
        for part in parts { part.forEachUTF8 { _, bytes in texts.appendValid(bytes) } }
        self = texts.take()
    }
}

extension TextValues: RandomAccessCollection {
    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .strings(let strings): return strings.count
        case .utf8(_, let ends): return ends.count
        }
    }

    public subscript(row: Int) -> String {
        switch storage {
        case .strings(let strings): return strings[row]
        case .utf8:
            return withUTF8(row) { String(decoding: $0, as: UTF8.self) }
        }
    }
}

extension TextValues: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: String...) {
        self.init(elements)
    }
}

/// Equal when the strings are, whichever storage holds them (`String ==`,
/// as `[String]` compared).
extension TextValues: Equatable {
    public static func == (lhs: TextValues, rhs: TextValues) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}
