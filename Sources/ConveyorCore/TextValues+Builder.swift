extension TextValues {
    /// Builds a column of strings stored as UTF-8 bytes, row by row: the
    /// fields' bytes and where each ends, two arrays and no `String` per
    /// field. Decoders use it for columns of many rows (`ColumnBuilder`).
    public struct Builder: Sendable {
        @usableFromInline var bytes: [UInt8] = []
        /// Where each row's bytes end; the first row starts at 0.
        @usableFromInline var ends: [Int] = []

        /// Room for about `rows` rows of about `bytes` bytes in all.
        @inlinable
        public init(rows: Int = 0, bytes: Int = 0) {
            self.bytes.reserveCapacity(bytes)
            ends.reserveCapacity(rows)
        }

        public var count: Int { ends.count }

        /// Appends one row; false, appending nothing, when the bytes are not UTF-8.
        @inlinable
        public mutating func append(_ text: UnsafeRawBufferPointer) -> Bool {
            guard Self.isASCII(text) || String(validating: text, as: UTF8.self) != nil else { return false }
            appendValid(text)
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
            ends.append(self.bytes.count)
        }

        /// Appends bytes known to be UTF-8.
        @inlinable
        mutating func appendValid(_ text: UnsafeRawBufferPointer) {
            if text.count <= 16 {
                // Byte by byte: for a short field, `append(contentsOf:)` and
                // `append(addingCapacity:)` cost more than the copy (and
                // writing into a zero-filled array through its buffer
                // pointer, 12 % more than this).
                for byte in text { bytes.append(byte) }
            } else {
                bytes.append(contentsOf: text.assumingMemoryBound(to: UInt8.self))
            }
            ends.append(bytes.count)
        }

        /// The values built so far; the builder is left empty.
        @inlinable
        public mutating func take() -> TextValues {
            var taken = Builder()
            swap(&taken, &self)
            return TextValues(utf8: taken.bytes, ends: taken.ends)
        }

        /// Eight bytes at a time: nearly every field is ASCII.
        @inlinable
        static func isASCII(_ text: UnsafeRawBufferPointer) -> Bool {
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
    }
}
