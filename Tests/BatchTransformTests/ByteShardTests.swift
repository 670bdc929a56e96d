import BatchTransform
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
import Testing

/// `--shard-by bytes`: N workers split each object by byte ranges; the
/// concatenation of their parts equals the unsharded output byte for byte.
@Suite struct ByteShardTests {
    /// Runs worker `index` of `count` over `input`, into `output`.
    static func worker(_ input: URL, _ output: URL, index: Int, count: Int,
                       configure: (inout TransformOptions) -> Void = { _ in }) async throws -> TransformSummary {
        try await transform(input, output) {
            $0.shardBy = .bytes
            $0.shard = Shard(index: index, count: count)
            configure(&$0)
        }
    }

    /// The parts of `name` under `output`, concatenated in part order (every part must exist).
    static func joinedParts(_ output: URL, _ name: String, count: Int) throws -> Data {
        var joined = Data()
        for index in 0..<count {
            joined += try Data(contentsOf: output.appendingPathComponent(name + String(format: ".part-%05d.out", index)))
        }
        return joined
    }

    /// CSV with CRLF and LF line ends, quoted fields and no final newline.
    static func carCSV(_ rows: ArraySlice<CarRow>) -> String {
        var text = ""
        for (index, row) in rows.enumerated() {
            let fields = index % 5 == 2 ? row.inputs.map { "\"\($0)\"" } : row.inputs
            text += fields.joined(separator: ",") + (index % 3 == 0 ? "\r\n" : "\n")
        }
        return String(text.dropLast())
    }

    @Test(arguments: [1, 2, 3, 7, 64, 301])
    func csvPartsConcatenateToTheUnshardedOutput(_ count: Int) async throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        try write(Self.carCSV(carRows[0..<600]), to: input.appendingPathComponent("big.csv"))
        let whole = try await transform(input, root.appendingPathComponent("whole"))
        #expect(whole.isSuccess && whole.records == 600, "\(whole.text())")
        let expected = try Data(contentsOf: root.appendingPathComponent("whole/big.csv.out"))
        expectCarOutput(String(decoding: expected, as: UTF8.self).split(separator: "\n"), carRows[0..<600])
        var records = 0
        for index in 0..<count {
            let summary = try await Self.worker(input, root.appendingPathComponent("parts"), index: index, count: count)
            #expect(summary.isSuccess, "\(summary.text())")
            records += summary.records
        }
        #expect(records == 600)
        #expect(try Self.joinedParts(root.appendingPathComponent("parts"), "big.csv", count: count) == expected)
    }

    @Test func moreWorkersThanRecordsAndJSONLinesAndManyObjects() async throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        let lines = carRows[0..<9].map { row in
            "{" + zip(["buying", "maint", "doors", "persons", "lug_boots", "safety"], row.inputs)
                .map { "\"\($0)\": \"\($1)\"" }.joined(separator: ", ") + "}\n"
        }
        try write(lines.joined(), to: input.appendingPathComponent("a.jsonl"))
        try write(lines.prefix(2).joined(), to: input.appendingPathComponent("b.jsonl"))
        try write("", to: input.appendingPathComponent("empty.jsonl"))
        let configure: (inout TransformOptions) -> Void = {
            $0.contentType = .jsonLines
            $0.accept = .jsonLines
        }
        let whole = try await transform(input, root.appendingPathComponent("whole"), configure: configure)
        #expect(whole.isSuccess && whole.records == 11)
        let count = 40
        for index in 0..<count {
            let summary = try await Self.worker(input, root.appendingPathComponent("parts"), index: index, count: count,
                                                configure: configure)
            #expect(summary.isSuccess && summary.objects == 3, "\(summary.text())")
        }
        for name in ["a.jsonl", "b.jsonl", "empty.jsonl"] {
            let expected = try Data(contentsOf: root.appendingPathComponent("whole/\(name).out"))
            #expect(try Self.joinedParts(root.appendingPathComponent("parts"), name, count: count) == expected, "\(name)")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 6])
    func parquetShardsByRowGroup(_ count: Int) async throws {
        let (root, input) = try ParquetTransformTests.input(["car-pyarrow-snappy-v2-plain"])
        let configure: (inout TransformOptions) -> Void = {
            ParquetTransformTests.parquet(&$0)
            $0.passThrough = ["id"]
        }
        let whole = try await transform(input, root.appendingPathComponent("whole"), configure: configure)
        #expect(whole.isSuccess && whole.records == 1728)
        var groups = 0
        for index in 0..<count {
            let summary = try await Self.worker(input, root.appendingPathComponent("parts"), index: index, count: count,
                                                configure: configure)
            #expect(summary.isSuccess, "\(summary.text())")
            groups += summary.records > 0 ? 1 : 0
        }
        #expect(groups == min(count, 4))  // four row groups of 500, 500, 500 and 228 rows
        let expected = try Data(contentsOf: root.appendingPathComponent("whole/car-pyarrow-snappy-v2-plain.parquet.out"))
        #expect(try Self.joinedParts(root.appendingPathComponent("parts"), "car-pyarrow-snappy-v2-plain.parquet",
                                     count: count) == expected)
    }

    @Test func quotedLineBreaksGzipAndManifestsAreRefused() async throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        try write(carRows[0..<40].map { $0.csv + "\n" }.joined() + "\"vh\nigh\",low,2,2,small,low\n"
                  + carRows[40..<80].map { $0.csv + "\n" }.joined(), to: input.appendingPathComponent("q.csv"))
        var failed = 0
        for index in 0..<4 {
            let summary = try await Self.worker(input, root.appendingPathComponent("parts"), index: index, count: 4)
            if let failure = summary.failures.first {
                failed += 1
                #expect(failure.reason.contains("quoted CSV field holds a line break")
                        && failure.reason.contains("--shard-by object"), "\(failure.reason)")
            }
        }
        // The line opening the quotes fails its worker (and the line closing them, if another worker owns it).
        #expect((1...2).contains(failed))
        await #expect(throws: ConveyorError.self) {
            _ = try await Self.worker(input, root.appendingPathComponent("gz"), index: 0, count: 2) { $0.compression = .gzip }
        }
        try write(#"[{"prefix": "\#(input.path)/"}, "q.csv"]"#, to: root.appendingPathComponent("m.manifest"))
        await #expect(throws: ConveyorError.self) {
            _ = try await transform(root.appendingPathComponent("m.manifest"), root.appendingPathComponent("m"), manifest: true) {
                $0.shardBy = .bytes
                $0.shard = Shard(index: 0, count: 2)
            }
        }
    }

    @Test func byteRangesCoverTheObjectWithoutGapsOrOverlap() {
        for size: Int64 in [0, 1, 7, 1_000, Int64.max / 2] {
            for count in [1, 2, 3, 99_999] {
                let ranges = (0..<count).map { Shard(index: $0, count: count).byteRange(size: size) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == size)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            }
        }
    }
}
