import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Parquet

/// The data-file reader of `transform` against files pyarrow and PySpark wrote
/// (training/parquet_fixtures.py), compared with the values pyarrow read back
/// (extra-columns.jsonl); and the writer's files read back by this reader.
@Suite struct ParquetDataFileTests {
    static let folder = projectRoot.appendingPathComponent("Tests/Fixtures/parquet-data")
    static let columns = ["id", "i8", "i16", "i32", "u8", "u32", "f32", "f64", "flag", "note"]

    static func open(_ name: String) throws -> ParquetDataFile {
        try ParquetDataFile(reader: try ParquetFileSource(path: folder.appendingPathComponent(name).path), source: name)
    }

    /// pyarrow's values as text per column (`""` for null), so every type compares one way.
    static let expected: [String: [String]] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("extra-columns.jsonl"), encoding: .utf8) else { return [:] }
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            guard let row = try? ExactJSON.object(with: Data(line.utf8)) as? [String: Any] else { continue }
            for name in columns {
                let value = row[name]
                let text: String
                switch value {
                case nil, is NSNull: text = ""
                case let string as String: text = string
                case let number as NSNumber where name == "flag": text = number.boolValue ? "true" : "false"
                case let number as NSNumber: text = "\(number)"
                default: text = "?"
                }
                out[name, default: []].append(text)
            }
        }
        return out
    }()

    /// The reader's values as text: nulls `""`, NaN `NaN`, floats as the double they hold.
    static func texts(_ column: Column) -> [String] {
        (0..<column.count).map { row -> String in
            if column.isNull(row) { return "" }
            switch column.values {
            case .int(let v): return "\(v[row])"
            case .double(let v): return v[row].isNaN ? "NaN" : "\(v[row])"
            case .bool(let v): return v[row] ? "true" : "false"
            case .string(let v): return v[row]
            default: return "?"
            }
        }
    }

    @Test(arguments: ["car-pyarrow-none-v1-dict", "car-pyarrow-snappy-v1-dict", "car-pyarrow-snappy-v2-plain",
                      "car-pyarrow-gzip-v2-dict", "car-pyarrow-zstd-v1-plain", "car-pyarrow-zstd-v2-dict"])
    func everyTypeAndNullReadsAsPyarrowReadsIt(_ name: String) throws {
        let file = try Self.open(name + ".parquet")
        #expect(file.rowGroupCount == 4 && file.rowCount == 1728)
        var read: [String: [String]] = [:]
        for group in 0..<file.rowGroupCount {
            for column in try file.readRowGroup(group, columns: Self.columns) {
                read[column.name, default: []] += Self.texts(column)
            }
        }
        #expect(Self.expected.count == Self.columns.count)
        for column in Self.columns {
            let want = Self.expected[column] ?? []
            let got = read[column] ?? []
            #expect(got.count == 1728 && want.count == 1728)
            if ["f32", "f64"].contains(column) {
                // Nulls in the same rows; the other values NaN-safe and exact (pyarrow printed the same doubles).
                #expect(got.map(\.isEmpty) == want.map(\.isEmpty), "\(name) \(column): nulls")
                let result = NumericComparison(parsing: got.filter { !$0.isEmpty }, want.filter { !$0.isEmpty },
                                               tolerance: .absolute(0), label: column)
                #expect(result.matches, "\(name) \(column): \(result)")
            } else {
                let mismatch = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
                #expect(mismatch == nil, "\(name) \(column): row \(mismatch?.offset ?? -1): \(mismatch.map { "\($0.element)" } ?? "")")
            }
        }
        #expect(try file.columnType("i8") == ColumnType(.byte) && file.columnType("u32") == ColumnType(.long)
                && file.columnType("f32") == ColumnType(.float) && file.columnType("note") == .string)
    }

    @Test func writtenFilesReadBackWithNullsListsAndSeveralRowGroups() throws {
        let specs = [ColumnSpec("s", .string), ColumnSpec("d", .double), ColumnSpec("i", ColumnType(.int)),
                     ColumnSpec("l", ColumnType(.long)), ColumnSpec("b", ColumnType(.boolean)), ColumnSpec("v", .vector(2))]
        var writer = try ParquetWriter(columns: specs)
        var bytes = writer.start()
        for group in 0..<3 {
            let rows = 20_000 + group  // more than one page per chunk
            let nulls = (0..<rows).map { $0 % 7 == 1 }
            bytes += try writer.rowGroup([
                .strings("s", (0..<rows).map { "r\($0)é" }, nulls: nulls),
                .doubles("d", (0..<rows).map { $0 == 5 ? .nan : Double($0) / 4 }, nulls: nulls),
                Column(name: "i", type: ColumnType(.int), values: .int((0..<rows).map { Int64($0) - 9 }), nulls: nulls),
                Column(name: "l", type: ColumnType(.long), values: .int((0..<rows).map { Int64($0) << 33 })),
                Column(name: "b", type: ColumnType(.boolean), values: .bool((0..<rows).map { $0 % 3 == 0 }), nulls: nulls),
                .vectors("v", VectorBlock(width: 2, storage: (0..<(2 * rows)).map { Double($0) }, rows: rows)),
            ])
        }
        bytes += writer.finish()
        let file = try ParquetDataFile(reader: ParquetMemorySource(bytes), source: "written")
        #expect(file.rowGroupCount == 3 && file.rowCount == 60_003)
        let columns = try file.readRowGroup(2, columns: ["s", "d", "i", "l", "b"])
        #expect(Self.texts(columns[0]).prefix(3) == ["r0é", "", "r2é"])
        #expect(Self.texts(columns[1]).prefix(6) == ["0.0", "", "0.5", "0.75", "1.0", "NaN"])
        #expect(Self.texts(columns[2]).prefix(3) == ["-9", "", "-7"] && Self.texts(columns[3])[3] == "\(Int64(3) << 33)")
        #expect(Self.texts(columns[4]).prefix(4) == ["true", "", "false", "true"])
        #expect(columns.allSatisfy { $0.count == 20_002 })
        // The vector column is a LIST: readable as a whole file (model reader), refused as a transform column.
        #expect(throws: ConveyorError.self) { try file.readRowGroup(0, columns: ["v"]) }
        let rows = try ParquetFile(bytes: bytes, source: "written").rows()
        #expect(rows[20_000 + 3]["v"] == .list([.double(6), .double(7)]))
    }

    @Test func hostileLengthsAreRefusedBeforeAllocating() throws {
        var bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent("car-pyarrow-zstd-v1-plain.parquet")))
        // A footer length of 2^31 - 1.
        var huge = bytes
        huge.replaceSubrange((huge.count - 8)..<(huge.count - 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: ConveyorError.self) { try ParquetDataFile(reader: ParquetMemorySource(huge), source: "huge") }
        // Every byte of the data region flipped in turn (a sample): errors or values, never a crash.
        let file = try ParquetDataFile(reader: ParquetMemorySource(bytes), source: "ok")
        let end = bytes.count - 8 - 1
        for offset in stride(from: 4, to: min(end, 40_000), by: 97) {
            bytes[offset] ^= 0x5A
            if let flipped = try? ParquetDataFile(reader: ParquetMemorySource(bytes), source: "flipped") {
                for group in 0..<flipped.rowGroupCount { _ = try? flipped.readRowGroup(group, columns: file.columnNames) }
            }
            bytes[offset] ^= 0x5A
        }
    }
}
