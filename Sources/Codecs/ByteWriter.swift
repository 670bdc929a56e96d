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
        appendWritten(capacity: ShortestDouble.bufferCapacity) { Self.writeDouble(value, into: $0) }
    }

    /// Doubles as `appendDouble` writes them, `separator` between them, in
    /// one reservation: a vector's values then skip the array's capacity and
    /// uniqueness checks that each append makes (3–5 % of a Spark call).
    mutating func appendDoubles(_ values: UnsafeBufferPointer<Double>, separator: UInt8) {
        guard !values.isEmpty else { return }
        appendWritten(capacity: values.count * (ShortestDouble.bufferCapacity + 1)) { text in
            var count = 0
            for index in values.indices {
                if index > 0 {
                    text[count] = separator
                    count &+= 1
                }
                count &+= Self.writeDouble(values[index], into: text + count)
            }
            return count
        }
    }

    /// `appendDouble`'s text at `text`, which has room for
    /// `ShortestDouble.bufferCapacity` bytes; returns its length.
    @inline(__always)
    private static func writeDouble(_ value: Double, into text: UnsafeMutablePointer<UInt8>) -> Int {
        // Small integral values are common (labels, counts): a third faster
        // this way, and the same bytes. (Checked through Int64 rather than
        // `rounded()`, which needs libm.) NaN fails the comparison.
        if abs(value) < 1e15, Double(Int64(value)) == value, value != 0 || value.sign == .plus {
            let count = writeInt(Int64(value), into: text)
            text[count] = UInt8(ascii: ".")
            text[count &+ 1] = UInt8(ascii: "0")
            return count &+ 2
        }
        return ShortestDouble.write(value, into: text)
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
        // A sign and 19 digits at most (Int64.min's magnitude is below 10^19).
        appendWritten(capacity: 20) { Self.writeInt(value, into: $0) }
    }

    /// `value`'s decimal digits, with a `-` when negative, at `text` (room
    /// for 20 bytes); returns their count.
    @inline(__always)
    private static func writeInt(_ value: Int64, into text: UnsafeMutablePointer<UInt8>) -> Int {
        var sign = 0
        if value < 0 {
            text[0] = UInt8(ascii: "-")
            sign = 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt64 = 10
        while digits < 19 && magnitude >= scale {
            digits &+= 1
            scale &*= 10
        }
        var index = sign &+ digits
        repeat {
            index &-= 1
            text[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return sign &+ digits
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
