import ConveyorCore

/// DELTA_BINARY_PACKED integers: what parquet-mr's v2 writer (Spark with
/// `parquet.writer.version=v2`) falls back to when a dictionary is full.
enum DeltaDecoder {
    static func decode(_ cursor: inout ByteCursor, count: Int, is32Bit: Bool, column: String) throws -> [ParquetValue] {
        let blockSize = try cursor.length(limit: 1 << 16, what: "delta block size")
        let miniblocks = try cursor.length(limit: 1 << 10, what: "delta miniblock count")
        let total = try cursor.length(limit: ColumnChunkReader.maxValues, what: "delta value count")
        guard miniblocks > 0, blockSize > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 8 == 0 else {
            throw cursor.failure("column '\(column)': delta block of \(blockSize) values in \(miniblocks) miniblocks")
        }
        guard total == count else {
            throw cursor.failure("column '\(column)': delta header holds \(total) values, the page \(count)")
        }
        let perMiniblock = blockSize / miniblocks
        var out: [ParquetValue] = []
        out.reserveCapacity(count)
        var last = try cursor.zigzag()
        if count > 0 { out.append(.int(narrow(last, is32Bit))) }
        while out.count < count {
            let minDelta = try cursor.zigzag()
            let widths = try cursor.take(miniblocks)
            for width in widths where out.count < count {
                guard width <= 64 else { throw cursor.failure("column '\(column)': delta bit width \(width)") }
                let packed = try cursor.take(perMiniblock * Int(width) / 8)
                for index in 0..<perMiniblock where out.count < count {
                    var delta: UInt64 = 0
                    let start = index * Int(width)
                    for bit in 0..<Int(width) {
                        let position = start + bit
                        let byte = packed[packed.startIndex + position >> 3]
                        delta |= UInt64((byte >> UInt8(position & 7)) & 1) << UInt64(bit)
                    }
                    last = last &+ minDelta &+ Int64(bitPattern: delta)
                    out.append(.int(narrow(last, is32Bit)))
                }
            }
        }
        return out
    }

    /// INT32 columns wrap at 32 bits, as the writer computed them.
    private static func narrow(_ value: Int64, _ is32Bit: Bool) -> Int64 {
        is32Bit ? Int64(Int32(truncatingIfNeeded: value)) : value
    }
}
