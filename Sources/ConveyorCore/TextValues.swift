/// A string column's values, read as a collection of `String`.
///
/// Two storages behind one type. Decoders keep a request's text fields as
/// UTF-8 bytes, one 64-bit word per row: a field of up to 7 bytes (most
/// categorical values) is held in its word, with its length; a longer one
/// is copied to a byte array that the word points into. No `String` is made
/// per field, and the label lookups and encoders that most pipelines start
/// and end with read the bytes (`withUTF8(_:_:)`, `forEachUTF8(_:)`).
/// Stages that compute strings keep Swift `String`s. A `String` is made from
/// the bytes only where a consumer asks for one by subscript.
public struct TextValues: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case strings([String])
        /// Valid UTF-8, a word per row. Top bit clear: the field's bytes in
        /// the low 7 bytes (first byte lowest) and their count in the top
        /// byte. Top bit set: the rest is `k`, the field is
        /// `bytes[spans[2k]..<spans[2k + 1]]`.
        case utf8(words: [UInt64], bytes: [UInt8], spans: [Int])
    }

    @usableFromInline
    let storage: Storage

    @inlinable
    public init(_ strings: [String]) {
        storage = .strings(strings)
    }

    /// Bytes already checked to be UTF-8 (`Builder` checks them).
    @usableFromInline
    init(words: [UInt64], bytes: [UInt8], spans: [Int]) {
        storage = .utf8(words: words, bytes: bytes, spans: spans)
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
        case .utf8(let words, let bytes, let spans):
            return try bytes.withUnsafeBytes { bytes in
                try spans.withUnsafeBufferPointer { spans in
                    try Self.withField(words[row], bytes: bytes, spans: spans, body)
                }
            }
        case .strings(let strings):
            var string = strings[row]
            return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Calls `body` with each row's index and UTF-8 bytes, in order: one
    /// pass over stored bytes, for loops over every row.
    @inlinable
    public func forEachUTF8(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard case .strings(let strings) = storage else {
            return try forEachStored { row, _, text in try body(row, text) }
        }
        try strings.withUnsafeBufferPointer { strings in
            for row in strings.indices {
                // Native strings (small ones included) lend their bytes in place.
                let lent: Void? = try strings[row].utf8.withContiguousStorageIfAvailable {
                    try body(row, UnsafeRawBufferPointer($0))
                }
                if lent == nil {
                    var string = strings[row]
                    try string.withUTF8 { try body(row, UnsafeRawBufferPointer($0)) }
                }
            }
        }
    }

    /// `forEachUTF8`, with each row's first eight bytes as one
    /// little-endian word, zero-padded past the end: what byte-keyed
    /// lookups hash and compare first (`UTF8Index`). Stored words hold it
    /// already.
    @inlinable
    public func forEachUTF8WithHead(_ body: (Int, UnsafeRawBufferPointer, UInt64) throws -> Void) rethrows {
        guard case .utf8 = storage else {
            return try forEachUTF8 { row, text in try body(row, text, Self.head(text)) }
        }
        try forEachStored { row, word, text in
            let head = word >> 63 == 0
                ? word & 0x00FF_FFFF_FFFF_FFFF
                : UInt64(littleEndian: text.loadUnaligned(as: UInt64.self))
            try body(row, text, head)
        }
    }

    /// Each stored row's index, word and bytes (nothing for Swift strings).
    @inlinable
    func forEachStored(_ body: (Int, UInt64, UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard case .utf8(let words, let bytes, let spans) = storage else { return }
        try words.withUnsafeBufferPointer { words in
            try bytes.withUnsafeBytes { bytes in
                try spans.withUnsafeBufferPointer { spans in
                    for row in words.indices {
                        let word = words[row]
                        try Self.withField(word, bytes: bytes, spans: spans) { try body(row, word, $0) }
                    }
                }
            }
        }
    }

    /// The first eight bytes as one little-endian word, zero-padded.
    @inlinable
    public static func head(_ text: UnsafeRawBufferPointer) -> UInt64 {
        if text.count >= 8 { return UInt64(littleEndian: text.loadUnaligned(as: UInt64.self)) }
        var word: UInt64 = 0
        for offset in 0..<text.count {
            word |= UInt64(text[offset]) << (8 &* UInt64(offset))
        }
        return word
    }

    /// Whether every byte is below 0x80, eight at a time: nearly every
    /// field is ASCII, and then needs no further UTF-8 validation.
    @inlinable
    public static func isASCII(_ text: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= text.count {
            if text.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < text.count {
            if text[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// A row's bytes from its word (see `Storage.utf8`).
    @inlinable @inline(__always)
    static func withField<R>(_ word: UInt64, bytes: UnsafeRawBufferPointer, spans: UnsafeBufferPointer<Int>,
                             _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if word >> 63 == 0 {
            let count = Int(truncatingIfNeeded: word >> 56)
            var inline = word.littleEndian
            return try withUnsafeBytes(of: &inline) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        let span = Int(truncatingIfNeeded: word & ~(1 << 63)) &* 2
        return try body(UnsafeRawBufferPointer(rebasing: bytes[spans[span]..<spans[span &+ 1]]))
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
        case .utf8(let words, _, _): return words.count
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
