import ConveyorCore

/// Parquet's RLE / bit-packing hybrid, used for definition and repetition
/// levels, dictionary indices and RLE booleans.
enum HybridDecoder {
    /// Decodes exactly `count` values of `bitWidth` bits (0…32).
    static func decode(_ cursor: inout ByteCursor, bitWidth: Int, count: Int) throws -> [Int] {
        guard (0...32).contains(bitWidth) else { throw cursor.failure("bit width \(bitWidth) is out of range") }
        guard count >= 0 else { throw cursor.failure("negative value count \(count)") }
        if bitWidth == 0 { return [Int](repeating: 0, count: count) }
        var out: [Int] = []
        out.reserveCapacity(count)
        let valueBytes = (bitWidth + 7) / 8
        while out.count < count {
            let header = try cursor.uvarint()
            if header & 1 == 0 {
                let run = header >> 1
                guard run > 0 else { throw cursor.failure("an RLE run of length 0") }
                let value = Int(try cursor.littleEndian(valueBytes))
                guard value < (1 << bitWidth) else { throw cursor.failure("RLE value \(value) wider than \(bitWidth) bits") }
                let take = Int(min(run, UInt64(count - out.count)))
                out.append(contentsOf: repeatElement(value, count: take))
            } else {
                let groups = header >> 1
                guard groups > 0, groups <= UInt64(cursor.remaining) else {
                    throw cursor.failure("a bit-packed run of \(groups) groups runs past the end")
                }
                let packed = try cursor.take(Int(groups) * bitWidth)
                let values = Int(groups) * 8
                let base = packed.startIndex
                let mask = (1 << bitWidth) - 1
                for index in 0..<values where out.count < count {
                    let bit = index * bitWidth
                    var word = 0
                    // Gather up to 5 bytes covering the value's bits (LSB first).
                    let first = bit >> 3
                    let last = min((bit + bitWidth - 1) >> 3, packed.count - 1)
                    for byte in stride(from: last, through: first, by: -1) {
                        word = (word << 8) | Int(packed[base + byte])
                    }
                    out.append((word >> (bit & 7)) & mask)
                }
            }
        }
        return out
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }
}
