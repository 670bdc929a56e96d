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
            // Most CSV has no quote at all: then the last newline ends the
            // last record, found from the end. (The byte-by-byte quote
            // count below was 5 % of a whole `conveyor transform`, on the
            // reading task every slice waits for.)
            if !contains(UInt8(ascii: "\""), in: bytes) {
                guard let last = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return 0 }
                return last + 1
            }
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

    /// Whether `target` occurs in `bytes`, eight bytes at a time: a word
    /// XORed with the target repeated has a zero byte where the target is,
    /// and `(x - 0x01…01) & ~x & 0x80…80` is nonzero exactly when x has one.
    static func contains(_ target: UInt8, in bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let pattern = UInt64(target) &* ones
        var index = 0
        while index &+ 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            if (word &- ones) & ~word & (ones &* 0x80) != 0 { return true }
            index &+= 8
        }
        while index < bytes.count {
            if bytes[index] == target { return true }
            index &+= 1
        }
        return false
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
