/// One CSV record as SageMaker's DataProcessing sees it: an array of
/// fields. Fields keep their raw text (quotes included), so selecting and
/// joining never re-quotes anything.
enum CSVRecord {
    /// The fields of one record (no line terminator), split at commas outside quotes.
    static func fields(_ record: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var fields: [ArraySlice<UInt8>] = []
        var start = record.startIndex
        var inQuotes = false
        for index in record.indices {
            switch record[index] {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ",") where !inQuotes:
                fields.append(record[start..<index])
                start = index + 1
            default: break
            }
        }
        fields.append(record[start..<record.endIndex])
        return fields
    }

    /// Fields joined with commas.
    static func join(_ fields: [ArraySlice<UInt8>], into out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += field
        }
    }
}

/// Where records end in a buffer of complete lines: at `\n` outside
/// quotes (for CSV) or at any `\n` (JSON Lines). A `\r` before the `\n`
/// is not part of the record. Blank lines are not records.
enum LineRecords {
    static func ranges(_ bytes: ArraySlice<UInt8>, quoted: Bool) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = bytes.startIndex
        var inQuotes = false
        func close(_ end: Int) {
            var stop = end
            if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            if bytes[start..<stop].contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) {
                ranges.append(start..<stop)
            }
        }
        for index in bytes.indices {
            let byte = bytes[index]
            if quoted && byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: "\n") && !inQuotes {
                close(index)
                start = index + 1
            }
        }
        if start < bytes.endIndex { close(bytes.endIndex) }
        return ranges
    }
}
