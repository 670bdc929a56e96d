/// An output buffer that numbers and strings are formatted straight into.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Shortest text that reads back as the same Double (Swift's
    /// `description`: `1.0`, `0.1`, `1e-05`, `5e-324`, `-0.0`), with NaN
    /// as `nan` whatever its sign or payload, and `inf`/`-inf`: what
    /// Python's `str(float)` writes in SageMaker's containers. The bytes of
    /// `description`, written without making a String (see `ShortestDouble`).
    mutating func appendDouble(_ value: Double) {
        if value.isNaN { return append("nan") }
        // Small integral values are common (labels, counts): a third faster
        // this way, and the same bytes. (Checked through Int64 rather than
        // `rounded()`, which needs libm.)
        if abs(value) < 1e15, Double(Int64(value)) == value, value != 0 || value.sign == .plus {
            appendInt(Int64(value))
            return append(".0")
        }
        appendWritten(capacity: ShortestDouble.bufferCapacity) { ShortestDouble.write(value, into: $0) }
    }

    /// Shortest text that reads back as the same Float (the booster's
    /// precision): `0.71401393`, not the Double's `0.7140139341354370`.
    /// The bytes of Swift's `description`, written without making a String
    /// (see `ShortestFloat`).
    mutating func appendFloat(_ value: Float) {
        appendWritten(capacity: ShortestFloat.bufferCapacity) { ShortestFloat.write(value, into: $0) }
    }

    /// Appends the bytes `write` writes and counts, given room for
    /// `capacity` (the number writers' 8-byte stores), straight into the
    /// array's spare capacity: a scratch buffer and `append(contentsOf:)`
    /// cost several times the formatting of a short number.
    @inline(__always)
    private mutating func appendWritten(capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        bytes.append(addingCapacity: capacity) { span in
            span.withUnsafeMutableBufferPointer { spare, written in
                // A fresh span has room for `capacity` bytes, so `spare` is never empty.
                written = write(spare.baseAddress.unsafelyUnwrapped)
            }
        }
    }

    mutating func appendInt(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // 20 digits hold any UInt64; fill from the right.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[index...])
        }
    }

    /// RFC 4180: quoted only when it must be; the empty string is `""` so
    /// that it does not read back as null (an empty unquoted field).
    mutating func appendCSVString(_ value: String) {
        var value = value
        value.withUTF8 { appendCSVString(UnsafeRawBufferPointer($0)) }
    }

    /// A CSV field from UTF-8 bytes: quoted when empty or when it holds a
    /// comma, a quote or a line break.
    mutating func appendCSVString(_ utf8: UnsafeRawBufferPointer) {
        let needsQuotes = utf8.isEmpty || utf8.contains { byte in
            byte == .comma || byte == .quote || byte == .lf || byte == .cr
        }
        guard needsQuotes else { return bytes.append(contentsOf: utf8) }
        bytes.append(.quote)
        for byte in utf8 {
            if byte == .quote { bytes.append(.quote) }
            bytes.append(byte)
        }
        bytes.append(.quote)
    }

    /// A JSON string literal: quotes, backslashes and control characters
    /// escaped; everything else as UTF-8.
    mutating func appendJSONString(_ value: String) {
        var value = value
        bytes.append(.quote)
        value.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case .quote: append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case .lf: append("\\n")
                case .cr: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case ..<0x20:
                    append("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(.quote)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
