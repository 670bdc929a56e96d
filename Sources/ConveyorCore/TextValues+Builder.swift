extension TextValues {
    /// Builds a column of strings stored as UTF-8 bytes, row by row: a
    /// word per row, the bytes of a field of up to 7 bytes held in it, a
    /// longer field's in a byte array (see `Storage.utf8`). No `String` is
    /// made per field, and a short field is not copied twice. Decoders use
    /// it for columns of many rows (`ColumnBuilder`).
    public struct Builder: Sendable {
        @usableFromInline var words: [UInt64] = []
        @usableFromInline var bytes: [UInt8] = []
        @usableFromInline var spans: [Int] = []

        /// Room for about `rows` rows.
        @inlinable
        public init(rows: Int = 0) {
            words.reserveCapacity(rows)
        }

        public var count: Int { words.count }

        /// Appends one row; false, appending nothing, when the bytes are not UTF-8.
        @inlinable
        public mutating func append(_ text: UnsafeRawBufferPointer) -> Bool {
            if text.count <= 7 {
                let word = Self.packed(text)
                // Not all ASCII: checked as the standard library checks UTF-8.
                if word & 0x0080_8080_8080_8080 != 0, String(validating: text, as: UTF8.self) == nil { return false }
                words.append(word)
                return true
            }
            guard TextValues.isASCII(text) || String(validating: text, as: UTF8.self) != nil else { return false }
            appendLong(text)
            return true
        }

        /// Appends one row from a Swift string.
        public mutating func append(_ string: String) {
            var string = string
            string.withUTF8 { appendValid(UnsafeRawBufferPointer($0)) }
        }

        /// An empty row (a null's placeholder).
        @inlinable
        public mutating func appendEmpty() {
            words.append(0)
        }

        /// Appends bytes known to be UTF-8.
        @inlinable
        mutating func appendValid(_ text: UnsafeRawBufferPointer) {
            if text.count <= 7 { words.append(Self.packed(text)) } else { appendLong(text) }
        }

        @usableFromInline
        mutating func appendLong(_ text: UnsafeRawBufferPointer) {
            spans.append(bytes.count)
            bytes.append(contentsOf: text)
            spans.append(bytes.count)
            words.append(1 << 63 | UInt64(spans.count / 2 &- 1))
        }

        /// The values built so far; the builder is left empty.
        @inlinable
        public mutating func take() -> TextValues {
            var taken = Builder()
            swap(&taken, &self)
            return TextValues(words: taken.words, bytes: taken.bytes, spans: taken.spans)
        }

        /// Up to 7 bytes in a word, first byte lowest, and their count in the top byte.
        @inlinable @inline(__always)
        static func packed(_ text: UnsafeRawBufferPointer) -> UInt64 {
            TextValues.head(text) | UInt64(truncatingIfNeeded: text.count) << 56
        }
    }
}
