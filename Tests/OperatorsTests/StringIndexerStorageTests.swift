import ConveyorCore
import Testing

@testable import Operators

/// The string indexer looks fields up from their bytes when a column
/// stores bytes (a decoded request of many rows): its indexes, skipped rows
/// and errors are those of the same column held as Swift strings.
@Suite struct StringIndexerStorageTests {
    static let labels = ["vhigh", "high", "\u{e9}", "日本語", "a label longer than fifteen bytes", ""]
    /// Labels, unseen values ("e" + U+0301 is Swift-equal to the label "é",
    /// not byte-equal) and nulls (row % 11 == 10), over 42 rows.
    static let values = (0..<42).map { row -> String in
        if row % 11 == 10 { return "" }
        return (labels + ["e\u{301}", "low"])[row % 8]
    }
    static let nulls = (0..<42).map { $0 % 11 == 10 }

    static func column(bytes: Bool) -> Column {
        guard bytes else { return .strings("c", TextValues(values), nulls: nulls) }
        var builder = TextValues.Builder(rows: values.count)
        for (row, value) in values.enumerated() {
            if nulls[row] {
                builder.appendEmpty()
                continue
            }
            var value = value
            _ = value.withUTF8 { builder.append(UnsafeRawBufferPointer($0)) }
        }
        let texts = builder.take()
        #expect(texts.storesBytes)
        return .strings("c", texts, nulls: nulls)
    }

    @Test func bothStoragesIndexAlike() throws {
        for handle in [HandleInvalid.keep, .skip] {
            let kernel = StringIndexer(inputs: ["c"], outputs: ["i"], labels: [Self.labels], handleInvalid: handle)
            let fromBytes = try kernel.transform(try Frame(columns: [Self.column(bytes: true)]), stage: "s")
            let fromStrings = try kernel.transform(try Frame(columns: [Self.column(bytes: false)]), stage: "s")
            guard case .double(let indexes)? = fromBytes.column("i")?.values else { return #expect(Bool(false)) }
            guard case .double(let reference)? = fromStrings.column("i")?.values else { return #expect(Bool(false)) }
            #expect(indexes == reference, "\(handle)")
            // Written out: what Spark gives for these rows.
            var expected: [Double] = []
            for row in 0..<42 {
                let label = Self.nulls[row] ? nil : Self.labels.firstIndex(of: Self.values[row]).map(Double.init)
                // Array.firstIndex uses Swift's ==: "e" + U+0301 would match "é"; Spark's equals does not.
                let byteEqual = label != nil && Array(Self.labels[Int(label!)].utf8) == Array(Self.values[row].utf8)
                if byteEqual, let label { expected.append(label) } else if handle == .keep { expected.append(6) }
            }
            #expect(indexes == expected, "\(handle)")
        }
    }

    @Test func anUnseenValueIsTheSameErrorFromBytes() throws {
        let kernel = StringIndexer(inputs: ["c"], outputs: ["i"], labels: [Self.labels], handleInvalid: .error)
        var messages: [String] = []
        for bytes in [true, false] {
            do {
                _ = try kernel.transform(try Frame(columns: [Self.column(bytes: bytes)]), stage: "s")
                Issue.record("no error (bytes: \(bytes))")
            } catch let error as ConveyorError {
                #expect(error.message.contains("'e\u{301}'"), "\(error)")
                messages.append("\(error)")
            }
        }
        #expect(messages.count == 2 && messages[0] == messages[1])
    }
}
