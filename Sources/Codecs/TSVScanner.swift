/// What `decodeDelimited` needs of a record scanner (CSV or TSV).
protocol DelimitedScanner {
    var isEmpty: Bool { get }
    /// 1-based number of the record last read.
    var record: Int { get }
    mutating func nextRecord(into fields: inout FieldBuffer) throws -> Bool
    func isNull(_ field: CSVScanner.Field) -> Bool
    func withContent<R>(of field: CSVScanner.Field, scratch: inout [UInt8],
                        _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// Splits rows as Spark SQL's `TRANSFORM` writes them: records end at
/// `\n`, `\N` is null, nothing is quoted or escaped. Fields end at `\t`
/// (Hive mode, or `ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t'`) or at
/// `\u{1}` (Spark 3 and 4's own default, `ScriptTransformationIOSchema`):
/// both separate fields, so a field holds neither. Trailing line breaks end
/// the input, as in CSV.
struct TSVScanner: DelimitedScanner {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private var position = 0
    private(set) var record = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        var end = bytes.count
        while end > 0, bytes[end - 1] == .lf { end -= 1 }
        self.end = end
    }

    var isEmpty: Bool { end == 0 }

    mutating func nextRecord(into fields: inout FieldBuffer) throws -> Bool {
        fields.removeAll()
        guard position < end else { return false }
        record += 1
        var start = position
        while position < end {
            let byte = bytes[position]
            if byte == .tab || byte == .soh {
                fields.append(CSVScanner.Field(start: start, end: position, quoted: false, hasEscapes: false))
                start = position + 1
            } else if byte == .lf {
                break
            }
            position += 1
        }
        fields.append(CSVScanner.Field(start: start, end: position, quoted: false, hasEscapes: false))
        position += 1  // past the \n (or the end)
        return true
    }

    /// Spark's null marker, `\N`.
    func isNull(_ field: CSVScanner.Field) -> Bool {
        field.end - field.start == 2 && bytes[field.start] == UInt8(ascii: "\\") && bytes[field.start + 1] == UInt8(ascii: "N")
    }

    func withContent<R>(of field: CSVScanner.Field, scratch: inout [UInt8],
                        _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]))
    }
}

extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    /// U+0001, Spark's default TRANSFORM field separator (Hive's ^A).
    static let soh: UInt8 = 0x01
}
