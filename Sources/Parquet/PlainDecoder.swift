import ConveyorCore

/// PLAIN-encoded values of one physical type.
enum PlainDecoder {
    static func decode(_ cursor: inout ByteCursor, type: PhysicalType, count: Int, typeLength: Int?,
                       isString: Bool, column: String) throws -> [ParquetValue] {
        func need(_ width: Int) throws {
            guard count <= cursor.remaining / max(width, 1) else {
                throw cursor.failure("column '\(column)': \(count) values of \(width) bytes run past the end of the page")
            }
        }
        var out: [ParquetValue] = []
        switch type {
        case .boolean:
            guard count <= cursor.remaining * 8 else { throw cursor.failure("column '\(column)': booleans run past the end") }
            let packed = try cursor.take((count + 7) / 8)
            out = (0..<count).map { .bool(packed[packed.startIndex + $0 >> 3] >> UInt8($0 & 7) & 1 == 1) }
        case .int32:
            try need(4)
            out = try (0..<count).map { _ in .int(Int64(Int32(bitPattern: UInt32(try cursor.littleEndian(4))))) }
        case .int64:
            try need(8)
            out = try (0..<count).map { _ in .int(Int64(bitPattern: try cursor.littleEndian(8))) }
        case .float:
            try need(4)
            out = try (0..<count).map { _ in .double(Double(Float(bitPattern: UInt32(try cursor.littleEndian(4))))) }
        case .double:
            try need(8)
            out = try (0..<count).map { _ in .double(Double(bitPattern: try cursor.littleEndian(8))) }
        case .byteArray:
            try need(4)
            out.reserveCapacity(count)
            for _ in 0..<count {
                let length = Int(try cursor.littleEndian(4))
                let bytes = try cursor.take(length)
                guard isString else { out.append(.bytes(Array(bytes))); continue }
                // Refused rather than repaired to U+FFFD: a repaired label would be scored.
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw cursor.failure("column '\(column)': a string that is not valid UTF-8")
                }
                out.append(.string(text))
            }
        case .fixedLenByteArray:
            guard let width = typeLength, width > 0 else {
                throw cursor.failure("column '\(column)': FIXED_LEN_BYTE_ARRAY without a length")
            }
            try need(width)
            out = try (0..<count).map { _ in .bytes(Array(try cursor.take(width))) }
        case .int96:
            throw ConveyorError(.unsupportedModel, "\(cursor.context): column '\(column)' is INT96, which this reader does not support")
        }
        return out
    }
}
