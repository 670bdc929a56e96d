/// Finds where the last complete record of a partial buffer ends, so that
/// large CSV and JSON Lines inputs can be read and scored in chunks with
/// bounded memory. A CSV newline inside a quoted field does not end a
/// record; `""` inside quotes toggles the quote state twice, so counting
/// quotes is enough.
public enum RecordSplitter {
    /// The length of the longest prefix of `bytes` that ends with a record
    /// terminator (`\n`), or 0 if there is none. For `.json`, whose document
    /// must be read whole, always 0.
    public static func completePrefixLength(_ bytes: UnsafeRawBufferPointer, type: MediaType) -> Int {
        switch type {
        case .json:
            return 0
        case .arrowStream:
            // Whole IPC messages (the first holds the schema the others need).
            return ArrowStream.completePrefixLength(bytes)
        case .jsonLines, .tsv:
            guard let last = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return 0 }
            return last + 1
        case .csv:
            var inQuotes = false
            var end = 0
            for index in 0..<bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): inQuotes.toggle()
                case UInt8(ascii: "\n") where !inQuotes: end = index + 1
                default: break
                }
            }
            return end
        }
    }

    /// The byte ranges of the records of a piece of text records (CSV, TSV,
    /// JSON Lines), each with its `\n`; blank records are left out. For
    /// scoring a failed piece record by record.
    public static func records(_ bytes: ArraySlice<UInt8>, type: MediaType) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = bytes.startIndex
        var inQuotes = false
        func close(_ end: Int) {
            if !bytes[start..<end].allSatisfy(isBlank) { ranges.append(start..<end) }
            start = end
        }
        for index in bytes.indices {
            let byte = bytes[index]
            if type == .csv && byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: "\n") && !inQuotes {
                close(index + 1)
            }
        }
        if start < bytes.endIndex { close(bytes.endIndex) }
        return ranges
    }

    public static func completePrefixLength(_ bytes: [UInt8], type: MediaType) -> Int {
        bytes.withUnsafeBytes { completePrefixLength($0, type: type) }
    }

    /// JSON whitespace (space, tab, LF, CR): what a piece or record of only
    /// these holds no row.
    public static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
