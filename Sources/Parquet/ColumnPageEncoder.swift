import CSnappy
import ConveyorCore

/// Encodes one column's rows as Parquet data pages v1: RLE levels, PLAIN
/// values, snappy-compressed bodies. Scalars are optional top-level fields;
/// vectors and string lists the 3-level LIST layout with required elements.
struct ColumnPageEncoder {
    let column: Column
    let physical: PhysicalType

    /// One data page, header included, and the rows it holds.
    struct Page {
        var bytes: [UInt8]
        /// The header and the body before compression.
        var uncompressedSize: Int
        var values: Int
    }

    var isList: Bool { column.type.isVector || column.type.isList }
    var maxDefinition: Int { isList ? 2 : 1 }

    /// The page of rows `rows`.
    func page(_ rows: Range<Int>) throws -> Page {
        var definitions: [Int] = []
        var repetitions: [Int] = []
        var body: [UInt8] = []
        var values = 0
        switch column.values {
        case .vector(let block):
            var present: [Double] = []
            for row in rows {
                if column.isNull(row) { definitions.append(0); repetitions.append(0); continue }
                if block.width == 0 { definitions.append(1); repetitions.append(0); continue }
                for (index, value) in block.row(row).enumerated() {
                    definitions.append(2)
                    repetitions.append(index == 0 ? 0 : 1)
                    present.append(value)
                }
            }
            present.withUnsafeBytes { body += $0 }
        case .stringLists(let lists):
            for row in rows {
                let items = lists.row(row)
                if column.isNull(row) || items.isEmpty {
                    definitions.append(column.isNull(row) ? 0 : 1)
                    repetitions.append(0)
                    continue
                }
                for (index, item) in items.enumerated() {
                    definitions.append(2)
                    repetitions.append(index == 0 ? 0 : 1)
                    Self.appendString(item, to: &body)
                }
            }
        case .double(let all):
            let kept = present(rows, &definitions)
            if physical == .float {
                for row in kept { withUnsafeBytes(of: Float(all[row]).bitPattern.littleEndian) { body += $0 } }
            } else {
                for row in kept { withUnsafeBytes(of: all[row].bitPattern.littleEndian) { body += $0 } }
            }
        case .int(let all):
            let kept = present(rows, &definitions)
            if physical == .int32 {
                for row in kept {
                    guard let narrow = Int32(exactly: all[row]) else {
                        throw ConveyorError(.invalidInput, "column '\(column.name)': \(all[row]) does not fit a 32-bit integer",
                                            row: row + 1, column: column.name)
                    }
                    withUnsafeBytes(of: narrow.littleEndian) { body += $0 }
                }
            } else {
                for row in kept { withUnsafeBytes(of: all[row].littleEndian) { body += $0 } }
            }
        case .bool(let all):
            let kept = present(rows, &definitions)
            var packed = [UInt8](repeating: 0, count: (kept.count + 7) / 8)
            for (index, row) in kept.enumerated() where all[row] { packed[index >> 3] |= 1 << UInt8(index & 7) }
            body += packed
        case .string(let all):
            for row in present(rows, &definitions) { Self.appendString(all[row], to: &body) }
        }
        values = definitions.count
        var page: [UInt8] = []
        if isList { Self.appendLevels(repetitions, bitWidth: 1, to: &page) }
        Self.appendLevels(definitions, bitWidth: isList ? 2 : 1, to: &page)
        page += body
        let compressed = try Self.snappy(page)
        var header = ThriftCompactWriter()
        header.int(1, 0)  // DATA_PAGE
        header.int(2, Int64(page.count))
        header.int(3, Int64(compressed.count))
        header.beginStruct(5)
        header.int(1, Int64(values))
        header.int(2, 0)  // PLAIN
        header.int(3, 3)  // RLE definition levels
        header.int(4, 3)  // RLE repetition levels
        header.endStruct()
        let headerBytes = header.finish()
        return Page(bytes: headerBytes + compressed, uncompressedSize: headerBytes.count + page.count, values: values)
    }

    /// Rows that are not null; a definition level for every row.
    private func present(_ rows: Range<Int>, _ definitions: inout [Int]) -> [Int] {
        var kept: [Int] = []
        kept.reserveCapacity(rows.count)
        for row in rows {
            if column.isNull(row) {
                definitions.append(0)
            } else {
                definitions.append(1)
                kept.append(row)
            }
        }
        return kept
    }

    private static func appendString(_ text: String, to body: inout [UInt8]) {
        var copy = text
        copy.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { body += $0 }
            body += utf8
        }
    }

    /// A 4-byte length, then runs of equal levels (RLE runs of the hybrid encoding).
    static func appendLevels(_ levels: [Int], bitWidth: Int, to out: inout [UInt8]) {
        var encoded: [UInt8] = []
        var index = 0
        while index < levels.count {
            var end = index + 1
            while end < levels.count && levels[end] == levels[index] { end += 1 }
            var header = UInt64(end - index) << 1
            while header >= 0x80 {
                encoded.append(UInt8(truncatingIfNeeded: header) | 0x80)
                header >>= 7
            }
            encoded.append(UInt8(header))
            encoded.append(UInt8(levels[index]))  // bit widths here are 1 or 2: one byte
            index = end
        }
        withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { out += $0 }
        out += encoded
    }

    static func snappy(_ input: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: snappy_max_compressed_length(input.count))
        var length = output.count
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count,
                                target.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK else { throw ConveyorError(.internal, "snappy could not compress a page") }
        output.removeSubrange(length...)
        return output
    }
}
