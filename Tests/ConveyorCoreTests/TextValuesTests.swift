import ConveyorCore
import Testing

/// A string column reads the same whichever storage holds it: Swift
/// strings, or the UTF-8 bytes of the fields (`TextValues.Builder`, what
/// decoders fill for columns of many rows).
@Suite struct TextValuesTests {
    /// Short and long, empty, non-ASCII, and the two spellings of "é" that
    /// Swift calls equal but whose bytes differ.
    static let texts = [
        "vhigh", "", "5more", "\u{e9}", "e\u{301}", "日本語", "a value longer than fifteen bytes", " low ", "x,y\"z",
        // Held in a row's word up to 7 bytes, stored apart from 8.
        "abcdefg", "abcdefgh", "\u{e9}\u{e9}\u{e9}a", "\u{e9}\u{e9}\u{e9}ab",
    ]

    static func built(_ texts: [String], rows: Int) -> TextValues {
        var builder = TextValues.Builder(rows: rows)
        for text in texts {
            var text = text
            let appended = text.withUTF8 { builder.append(UnsafeRawBufferPointer($0)) }
            #expect(appended, "\(text.debugDescription)")
        }
        return builder.take()
    }

    /// Many rows: the values repeated to 45.
    static var many: [String] { (0..<45).map { texts[$0 % texts.count] } }

    @Test func bytesAndStringsReadTheSame() {
        let few = Self.built(Self.texts, rows: Self.texts.count)
        let many = Self.built(Self.many, rows: 0)
        #expect(few.storesBytes && many.storesBytes)
        #expect(!TextValues(Self.texts).storesBytes)
        #expect(Array(few) == Self.texts)
        #expect(Array(many) == Self.many)
        #expect(many.strings == Self.many)
        #expect(many.count == 45)
        #expect(few.count == Self.texts.count)
    }

    @Test func bytesAreGivenBackExactly() {
        for values in [Self.built(Self.many, rows: 45), TextValues(Self.many)] {
            var seen: [[UInt8]] = []
            values.forEachUTF8 { row, bytes in
                #expect(row == seen.count)
                seen.append(Array(bytes))
            }
            #expect(seen == Self.many.map { Array($0.utf8) })
            for row in [0, 3, 4, 44] {
                #expect(values.withUTF8(row) { Array($0) } == Array(Self.many[row].utf8), "row \(row)")
            }
        }
    }

    @Test func invalidUTF8IsRefusedAndNothingAppended() {
        var builder = TextValues.Builder()
        let invalid: [[UInt8]] = [
            [0xFF], [0x61, 0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], Array("abcdef".utf8) + [0xFF],
            Array("abcdefgh".utf8) + [0xC3], Array("a longer text".utf8) + [0xED, 0xA0, 0x80] + Array("tail".utf8),
        ]
        for bytes in invalid {
            #expect(!bytes.withUnsafeBytes { builder.append($0) }, "\(bytes)")
        }
        #expect(builder.count == 0)
        #expect([UInt8]([0xC3, 0xA9]).withUnsafeBytes { builder.append($0) })
        builder.appendEmpty()
        #expect(Array(builder.take()) == ["\u{e9}", ""])
    }

    @Test func equalityComparesStringsWhicheverTheStorage() {
        let bytes = Self.built(Self.many, rows: 45)
        #expect(bytes == TextValues(Self.many))
        var changed = Self.many
        changed[44] = "vhigh!"
        #expect(bytes != TextValues(changed))
        #expect(bytes != TextValues(Array(Self.many.dropLast())))
    }

    @Test func filteringPickingAndConcatenatingKeepValuesAndBytes() throws {
        let values = Self.built(Self.many, rows: 45)
        let column = Column.strings("t", values)
        let keep = (0..<45).map { $0 % 2 == 0 }
        guard case .string(let kept) = column.filtered(keeping: keep).values else { return #expect(Bool(false)) }
        #expect(Array(kept) == Self.many.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(kept.storesBytes)

        let picked = values.picking([44, 0, 3, 3])
        #expect(Array(picked) == [Self.many[44], Self.many[0], Self.many[3], Self.many[3]])

        let frame = try Frame(concatenating: [try Frame(columns: [column]), try Frame(columns: [.strings("t", ["z"])])])
        guard case .string(let all)? = frame.column("t")?.values else { return #expect(Bool(false)) }
        #expect(Array(all) == Self.many + ["z"])
        let twice = TextValues(concatenating: [values, values])
        #expect(twice.storesBytes)
        #expect(Array(twice) == Self.many + Self.many)
    }
}
