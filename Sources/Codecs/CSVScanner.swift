import ConveyorCore

/// Splits RFC 4180 CSV into records of field ranges, without copying.
///
/// Quoted fields may hold commas, doubled quotes, spaces and line breaks.
/// Records end with LF or CRLF; the final line break is optional and
/// trailing blank lines are ignored. A blank line elsewhere is a record
/// with one empty field, as the RFC reads it. A quote inside an unquoted
/// field is kept as a literal character (as Python's csv module does).
struct CSVScanner: DelimitedScanner {
    struct Field {
        /// Byte range of the content, without the surrounding quotes.
        var start: Int
        var end: Int
        var quoted: Bool
        /// The content holds `""` pairs that stand for one quote.
        var hasEscapes: Bool

        var isEmpty: Bool { start == end }
    }

    private let bytes: UnsafeRawBufferPointer
    /// One past the last byte that is not CR or LF: what follows is only
    /// line breaks, which end the input.
    private let end: Int
    private var position = 0
    /// 1-based number of the record last read.
    private(set) var record = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        var end = bytes.count
        while end > 0, bytes[end - 1] == .lf || bytes[end - 1] == .cr { end -= 1 }
        self.end = end
    }

    /// True when the input has no record at all.
    var isEmpty: Bool { end == 0 }

    /// Reads the next record's fields into `fields`; false at the end.
    mutating func nextRecord(into fields: inout FieldBuffer) throws -> Bool {
        fields.removeAll()
        guard position < end else { return false }
        record += 1
        while true {
            if bytes[position] == .quote {
                fields.append(try quotedField())
            } else {
                let start = position
                while position < end {
                    position = nextDelimiter(from: position)
                    guard position < end else { break }
                    let byte = bytes[position]
                    if byte == .comma || byte == .lf || (byte == .cr && isLineBreak(at: position)) { break }
                    position += 1  // a CR alone is part of the field
                }
                fields.append(Field(start: start, end: position, quoted: false, hasEscapes: false))
            }
            guard position < end else { return true }
            let byte = bytes[position]
            if byte == .comma {
                position += 1
                // A trailing comma before the end means one more empty field.
                if position == end {
                    fields.append(Field(start: end, end: end, quoted: false, hasEscapes: false))
                    return true
                }
                continue
            }
            if byte == .lf {
                position += 1
                return true
            }
            if byte == .cr && isLineBreak(at: position) {
                position += 2
                return true
            }
            throw ConveyorError(
                .invalidInput,
                "unexpected '\(Character(Unicode.Scalar(byte)))' after a closing quote "
                    + "(field \(fields.count)); a quote inside a quoted field is written \"\"",
                row: record)
        }
    }

    private mutating func quotedField() throws -> Field {
        let opening = position
        position += 1
        let start = position
        var hasEscapes = false
        while position < end {
            if bytes[position] == .quote {
                if position + 1 < end && bytes[position + 1] == .quote {
                    hasEscapes = true
                    position += 2
                    continue
                }
                let field = Field(start: start, end: position, quoted: true, hasEscapes: hasEscapes)
                position += 1
                return field
            }
            position += 1
        }
        throw ConveyorError(
            .invalidInput, "unterminated quoted field starting at byte \(opening + 1)", row: record)
    }

    /// The index of the first comma, LF or CR at or after `index`, or
    /// `end`. Eight bytes at a time: a short field is then found with one
    /// load and its length read off a bit count, where a loop over its
    /// bytes ended on a branch that mispredicted with every new length.
    @inline(__always)
    private func nextDelimiter(from index: Int) -> Int {
        var index = index
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let found = Self.zeroBytes(word ^ Self.commas) | Self.zeroBytes(word ^ Self.lineFeeds)
                | Self.zeroBytes(word ^ Self.carriageReturns)
            if found != 0 { return index &+ found.trailingZeroBitCount / 8 }
            index &+= 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == .comma || byte == .lf || byte == .cr { return index }
            index &+= 1
        }
        return end
    }

    /// The high bit of each zero byte of `word`. The lowest mark is exact;
    /// above a zero byte, the borrow may mark a 0x01 byte too, which the
    /// caller never reads.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    private static let commas: UInt64 = 0x2C2C_2C2C_2C2C_2C2C
    private static let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    private static let carriageReturns: UInt64 = 0x0D0D_0D0D_0D0D_0D0D

    /// CR counts as a line break only when LF follows it (CRLF).
    @inline(__always)
    private func isLineBreak(at index: Int) -> Bool {
        index + 1 < bytes.count && bytes[index + 1] == .lf
    }

    /// An empty unquoted field is null; `""` is the empty string.
    func isNull(_ field: Field) -> Bool { field.isEmpty && !field.quoted }

    /// Calls `body` with the field's bytes, undoing `""` pairs in `scratch`.
    func withContent<R>(
        of field: Field, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.hasEscapes else { return try body(raw) }
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            scratch.append(raw[index])
            index += raw[index] == .quote ? 2 : 1
        }
        return try scratch.withUnsafeBytes(body)
    }
}

extension UInt8 {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
}
