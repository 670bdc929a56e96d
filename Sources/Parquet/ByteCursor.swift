import ConveyorCore

/// A bounds-checked reading position over bytes. Every read checks the
/// remaining length first, so corrupt lengths and offsets become errors,
/// never out-of-bounds traps or unbounded allocations.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// Names the file and part being read, for messages.
    let context: String

    init(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil, context: String) {
        self.bytes = bytes
        self.position = max(0, min(start, bytes.count))
        self.end = max(self.position, min(end ?? bytes.count, bytes.count))
        self.context = context
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    func failure(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "\(context): \(message)")
    }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw failure("unexpected end of data at byte \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    /// `count` bytes as a slice; `count` is checked against what is left.
    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw failure("a length of \(count) bytes at byte \(position) runs past the end (\(remaining) left)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func skip(_ count: Int) throws { _ = try take(count) }

    mutating func littleEndian(_ width: Int) throws -> UInt64 {
        let slice = try take(width)
        var value: UInt64 = 0
        for (shift, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    mutating func uvarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.byte()
            guard shift < 64 else { throw failure("a varint longer than 10 bytes at byte \(position)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint used as a count or length: must fit in `limit`.
    mutating func length(limit: Int, what: String) throws -> Int {
        let raw = try uvarint()
        guard raw <= UInt64(limit) else { throw failure("\(what) \(raw) exceeds the limit \(limit)") }
        return Int(raw)
    }
}
