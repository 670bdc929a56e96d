extension TextValues {
    /// Builds a column's strings row by row: what decoders fill from a
    /// request's fields.
    ///
    /// A column of more than `stringRowsLimit` rows stores its fields' UTF-8
    /// bytes and where each ends: two arrays, and no `String` per field. A
    /// smaller one (or one of unknown size) keeps Swift strings: one array,
    /// and a string of up to 15 bytes is stored inline, so for a few rows
    /// the second array's allocation costs more than the strings (one-row
    /// requests decoded 0.5 µs slower with bytes).
    public struct Builder: Sendable {
        public static var stringRowsLimit: Int { 16 }

        @usableFromInline let storesBytes: Bool
        @usableFromInline var bytes: [UInt8]
        /// Where each row's bytes end; the first row starts at 0.
        @usableFromInline var ends: [Int]
        @usableFromInline var strings: [String]

        /// Room for about `rows` rows of about `bytes` bytes in all; 0
        /// rows: unknown.
        @inlinable
        public init(rows: Int = 0, bytes: Int = 0) {
            storesBytes = rows > Self.stringRowsLimit
            self.bytes = []
            ends = []
            strings = []
            if storesBytes {
                self.bytes.reserveCapacity(bytes)
                ends.reserveCapacity(rows)
            } else if rows > 0 {
                strings.reserveCapacity(rows)
            }
        }

        public var count: Int { storesBytes ? ends.count : strings.count }

        /// Appends one row; false, appending nothing, when the bytes are not UTF-8.
        @inlinable
        public mutating func append(_ text: UnsafeRawBufferPointer) -> Bool {
            if Self.isASCII(text) {
                appendValid(text)
                return true
            }
            guard let string = String(validating: text, as: UTF8.self) else { return false }
            if storesBytes {
                appendValid(text)
            } else {
                strings.append(string)
            }
            return true
        }

        /// Appends one row from a Swift string.
        public mutating func append(_ string: String) {
            guard storesBytes else { return strings.append(string) }
            var string = string
            string.withUTF8 { appendValid(UnsafeRawBufferPointer($0)) }
        }

        /// An empty row (a null's placeholder).
        @inlinable
        public mutating func appendEmpty() {
            if storesBytes { ends.append(bytes.count) } else { strings.append("") }
        }

        /// Appends bytes known to be UTF-8.
        @inlinable
        mutating func appendValid(_ text: UnsafeRawBufferPointer) {
            guard storesBytes else { return strings.append(String(decoding: text, as: UTF8.self)) }
            if let source = text.baseAddress, !text.isEmpty {
                // Straight into the spare capacity: `append(contentsOf:)` cost
                // more than the copy of a short field.
                bytes.append(addingCapacity: text.count) { span in
                    span.withUnsafeMutableBufferPointer { spare, written in
                        spare.baseAddress.unsafelyUnwrapped.update(from: source.assumingMemoryBound(to: UInt8.self),
                                                                    count: text.count)
                        written = text.count
                    }
                }
            }
            ends.append(bytes.count)
        }

        /// The values built so far.
        @inlinable
        public var values: TextValues {
            storesBytes ? TextValues(utf8: bytes, ends: ends) : TextValues(strings)
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
