import Codecs
import ConveyorCore
import Testing

/// `text/tab-separated-values` as Spark SQL's TRANSFORM writes and reads rows (Spark's
/// ScriptTransformationIOSchema defaults: `\t` fields, `\n` lines, `\N` null; PipeSparkTests
/// runs it against real PySpark).
@Suite struct TSVTests {
    static let tsv = MediaType.tsv

    @Test func fieldsNullsAndEmptyStrings() throws {
        let frame = try decode("a b\t1.5\t\\N\n\t\\N\t7\n", [ColumnSpec("s", .string), ColumnSpec("d", .double),
                                                           ColumnSpec("i", ColumnType(.int))], as: Self.tsv)
        #expect(strings(frame, "s") == ["a b", ""])
        #expect(frame.column("s")?.nulls == nil)
        #expect(frame.column("d")?.nulls == [false, true])
        #expect(doubles(frame, "d")?.first == 1.5)
        #expect(ints(frame, "i")?.last == 7)
        #expect(frame.column("i")?.nulls == [true, false])
    }

    /// Spark 4.3 without ROW FORMAT sends U+0001 between fields (seen with `tee` as the script).
    @Test func sparksDefaultSeparatorToo() throws {
        let frame = try decode("a b\u{1}\\N\u{1}1.5\n\u{1}x\u{1}NaN\n",
                               [ColumnSpec("s", .string), ColumnSpec("t", .string), ColumnSpec("d", .double)], as: Self.tsv)
        #expect(strings(frame, "s") == ["a b", ""])
        #expect(frame.column("t")?.nulls == [true, false])
        #expect(doubles(frame, "d")?.last?.isNaN == true)
    }

    @Test func quotesAndCommasAreData() throws {
        let frame = try decode("\"x,y\"\tz\n", [ColumnSpec("a", .string), ColumnSpec("b", .string)], as: Self.tsv)
        #expect(strings(frame, "a") == ["\"x,y\""])
    }

    @Test func vectorsSpreadAndNullElementsAreMissing() throws {
        let frame = try decode("k\t1\t\\N\t3\n", [ColumnSpec("k", .string), ColumnSpec("v", .vector(3))], as: Self.tsv)
        guard case .vector(let block)? = frame.column("v")?.values else { Issue.record("no vector"); return }
        #expect(block.storage[0] == 1 && block.storage[1].isNaN && block.storage[2] == 3)
    }

    @Test func wrongFieldCountNamesTheRow() {
        let error = conveyorError { _ = try decode("a\tb\nc\n", [ColumnSpec("x", .string), ColumnSpec("y", .string)], as: Self.tsv) }
        #expect(error?.row == 2)
        #expect(error?.message.contains("has 1 field, expected 2") == true, "\(String(describing: error))")
    }

    @Test func encodesNullsAsBackslashNAndRefusesTabs() throws {
        let frame = try Frame(columns: [.strings("s", ["a", "", "c"], nulls: [false, true, false]),
                                        .doubles("d", [1, .nan, 2.5]),
                                        .vectors("v", VectorBlock(width: 2, storage: [0.5, 1, 2, 3, 4, 5]))])
        let body = try FrameEncoder().encode(frame, columns: ["s", "d", "v"], as: Self.tsv)
        #expect(String(decoding: body, as: UTF8.self) == "a\t1.0\t0.5\t1.0\n\\N\tnan\t2.0\t3.0\nc\t2.5\t4.0\t5.0\n")
        let tab = try Frame(columns: [.strings("s", ["x\ty"])])
        let error = conveyorError { _ = try FrameEncoder().encode(tab, columns: ["s"], as: Self.tsv) }
        #expect(error?.code == .unsupportedAccept)
        #expect(error?.column == "s")
    }
}
