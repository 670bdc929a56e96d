import ConveyorTestSupport
import ConveyorCore
import Foundation
import Testing
@testable import Parquet

let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let parquetFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/parquet")

func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: parquetFixtures.appendingPathComponent(name)))
}

/// The rows training/spark_pipelines.py wrote into every reader fixture, as
/// the producer held them (table.json), converted to the reader's values.
func expectedRows() throws -> [ParquetValue] {
    let data = try Data(contentsOf: parquetFixtures.appendingPathComponent("table.json"))
    let rows = try #require(try ExactJSON.object(with: data) as? [[String: Any]])
    // JSON booleans and numbers both arrive as NSNumber on Linux: the field says which.
    enum Kind { case integral, real, boolean, text }
    func value(_ any: Any?, _ kind: Kind) -> ParquetValue {
        switch any {
        case nil, is NSNull: return .null
        case let list as [Any]: return .list(list.map { value($0, kind) })
        case let text as String: return .string(text)
        case let number as NSNumber:
            switch kind {
            case .boolean: return .bool(number.boolValue)
            case .integral: return .int(number.int64Value)
            default: return .double(number.doubleValue)
            }
        default: return .null
        }
    }
    return rows.map { row in
        .record([
            "id": value(row["id"], .integral), "big": value(row["big"], .integral),
            "score": value(row["score"], .real), "flag": value(row["flag"], .boolean),
            "name": value(row["name"], .text), "tags": value(row["tags"], .text),
            "values": value(row["values"], .real),
        ])
    }
}

@Suite struct ParquetReaderTests {
    static let producedFiles: [String] = {
        var names: [String] = []
        for codec in ["none", "snappy", "zstd"] {
            for version in ["v1", "v2"] {
                for encoding in ["dict", "plain"] { names.append("pyarrow-\(codec)-\(version)-\(encoding).parquet") }
            }
        }
        for codec in ["uncompressed", "snappy", "zstd"] {
            for writer in ["v1", "v2"] { names.append("spark-\(codec)-\(writer).parquet") }
        }
        return names
    }()

    @Test(arguments: producedFiles)
    func readsWhatTheProducerWrote(_ name: String) throws {
        let file = try ParquetFile(bytes: try fixtureBytes(name), source: name)
        #expect(file.columnNames == ["id", "big", "score", "flag", "name", "tags", "values"])
        let rows = try file.rows()
        let expected = try expectedRows()
        #expect(rows.count == expected.count)
        for (index, (row, want)) in zip(rows, expected).enumerated() {
            #expect(row == want, "row \(index) of \(name)")
        }
    }

    /// The fixtures really cover each codec, page version and encoding.
    @Test func fixturesCoverCodecsPagesAndEncodings() throws {
        func chunks(_ name: String) throws -> [ColumnChunkMeta] {
            try ParquetFile(bytes: try fixtureBytes(name), source: name).metadata.rowGroups.flatMap(\.columns)
        }
        #expect(try chunks("pyarrow-none-v1-plain.parquet").allSatisfy { $0.codec == Codec.uncompressed.rawValue })
        #expect(try chunks("pyarrow-snappy-v1-plain.parquet").allSatisfy { $0.codec == Codec.snappy.rawValue })
        #expect(try chunks("pyarrow-zstd-v2-dict.parquet").allSatisfy { $0.codec == Codec.zstd.rawValue })
        #expect(try chunks("spark-zstd-v1.parquet").allSatisfy { $0.codec == Codec.zstd.rawValue })
        #expect(try chunks("pyarrow-none-v1-dict.parquet").contains { $0.dictionaryPageOffset != nil })
        #expect(try chunks("pyarrow-none-v1-plain.parquet").allSatisfy { $0.dictionaryPageOffset == nil })
        #expect(try chunks("spark-snappy-v1.parquet").contains { $0.dictionaryPageOffset != nil })
        // pyarrow splits the 40 rows into row groups of 25.
        #expect(try ParquetFile(bytes: try fixtureBytes("pyarrow-none-v2-dict.parquet"), source: "x").metadata.rowGroups.count == 2)
    }

    @Test func nestedListsOfStringsKeepNullsAndEmptyLists() throws {
        let rows = try ParquetFile(bytes: try fixtureBytes("spark-snappy-v1.parquet"), source: "spark").rows()
        // Row 3: tags [["t3", null, "x"], []]; row 1: null; row 0: [[]].
        #expect(rows[3]["tags"] == .list([.list([.string("t3"), .null, .string("x")]), .list([])]))
        #expect(rows[1]["tags"] == .null)
        #expect(rows[0]["tags"] == .list([.list([])]))
    }

    /// GZIP pages are read since `transform` reads data files (the fixture's name predates that).
    @Test func gzipPagesAreRead() throws {
        let rows = try ParquetFile(bytes: try fixtureBytes("unsupported-gzip.parquet"), source: "g.parquet").rows()
        #expect(rows == (try expectedRows()))
    }

    @Test func unsupportedCodecIsRefusedNamingFileColumnAndCodec() throws {
        // The first column chunk's codec (ColumnMetaData field 4) rewritten to BROTLI (4).
        var bytes = try fixtureBytes("pyarrow-snappy-v1-plain.parquet")
        let file = try ParquetFile(bytes: bytes, source: "b.parquet")
        let footer = Array(bytes[file.footerStart..<(bytes.count - 8)])
        // path_in_schema ["id"] (a list of one binary: 0x18, length 2, "id"), then the codec field
        // (delta 1, i32: 0x15) holding zigzag(1) = 0x02 for SNAPPY.
        let pattern: [UInt8] = [0x18, 0x02, 0x69, 0x64, 0x15, 0x02]
        let at = try #require(footer.indices.first { Array(footer[$0...].prefix(6)) == pattern })
        bytes[file.footerStart + at + 5] = 0x08  // zigzag(4): BROTLI
        let error = conveyorError { _ = try ParquetFile(bytes: bytes, source: "b.parquet").rows() }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("b.parquet") == true)
        #expect(error?.message.contains("BROTLI") == true)
    }

    @Test func unsupportedEncodingIsRefusedNamingColumnAndEncoding() throws {
        let error = conveyorError { _ = try ParquetFile(bytes: try fixtureBytes("unsupported-delta.parquet"), source: "d.parquet").rows() }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("column 'name'") == true)
        #expect(error?.message.contains("DELTA_BYTE_ARRAY") == true)
    }

    @Test func deltaBinaryPackedIntegersAreRead() throws {
        let rows = try ParquetFile(bytes: try fixtureBytes("pyarrow-delta-ints.parquet"), source: "d").rows()
        let expected = try expectedRows()
        #expect(rows.map { $0["id"] } == expected.map { $0["id"] })
        #expect(rows.map { $0["big"] } == expected.map { $0["big"] })
    }
}

/// The ConveyorError `body` throws; records an issue if it throws nothing or something else.
func conveyorError(_ body: () throws -> Void) -> ConveyorError? {
    do {
        try body()
        Issue.record("expected a ConveyorError, nothing was thrown")
    } catch let error as ConveyorError {
        return error
    } catch {
        Issue.record("expected a ConveyorError, got \(error)")
    }
    return nil
}
