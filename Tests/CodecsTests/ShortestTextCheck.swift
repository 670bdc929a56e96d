/// Compares a shortest-text writer (`ShortestFloat`, `ShortestDouble`) with
/// the standard library's `description`, which gives every expected value.
struct ShortestTextCheck<Value: BinaryFloatingPoint & CustomStringConvertible> {
    /// The room the writer needs.
    let capacity: Int
    let write: (Value, UnsafeMutablePointer<UInt8>) -> Int
    /// The bit pattern, for messages.
    let bits: (Value) -> UInt64
    /// NaNs left out of `mismatches`.
    var skipsNaN = false

    /// Values whose text differs from `description`, as "bits: expected ≠ written" (at most 20).
    func mismatches<S: Sequence<Value>>(_ values: S) -> [String] {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var found: [String] = []
        for value in values where !(skipsNaN && value.isNaN) {
            let count = write(value, buffer)
            var expected = value.description
            let same = expected.withUTF8 { utf8 in
                guard utf8.count == count else { return false }
                for index in 0..<count where utf8[index] != buffer[index] { return false }
                return true
            }
            if !same && found.count < 20 {
                let written = String(decoding: UnsafeBufferPointer(start: buffer, count: count), as: UTF8.self)
                found.append("0x\(String(bits(value), radix: 16)): \(expected) ≠ \(written)")
            }
        }
        return found
    }

    func written(_ value: Value) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            String(decoding: buffer[..<write(value, buffer.baseAddress!)], as: UTF8.self)
        }
    }

    /// The longest text written for `values`, and the values for which the
    /// writer touched a byte of the 16 past its `capacity`.
    func bufferUse(_ values: [Value]) -> (longest: Int, overruns: [Value]) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + 16)
        defer { buffer.deallocate() }
        var longest = 0
        var overruns: [Value] = []
        for value in values {
            buffer.initialize(repeating: 0xAA, count: capacity + 16)
            longest = max(longest, write(value, buffer))
            if (capacity..<capacity + 16).contains(where: { buffer[$0] != 0xAA }) { overruns.append(value) }
        }
        return (longest, overruns)
    }

    /// Each value with its negation, and its neighbours with theirs.
    func withNeighbours(_ values: [Value]) -> [Value] {
        values.flatMap { value in [value, value.nextUp, value.nextDown] }.flatMap { [$0, -$0] }
    }
}
