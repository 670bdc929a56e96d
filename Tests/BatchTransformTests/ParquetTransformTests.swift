import BatchTransform
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
import Testing

/// Parquet objects written by pyarrow and PySpark (training/parquet_fixtures.py) scored
/// by `transform`, against the training frameworks' predictions; Parquet outputs read
/// back by pyarrow and PySpark (Tests/Support/parquet_readback.py).
@Suite struct ParquetTransformTests {
    static let fixtures = repoFile("Tests/Fixtures/parquet-data")
    static let pyarrowFiles = [
        "car-pyarrow-none-v1-dict", "car-pyarrow-snappy-v1-dict", "car-pyarrow-snappy-v2-plain",
        "car-pyarrow-gzip-v2-dict", "car-pyarrow-zstd-v1-plain", "car-pyarrow-zstd-v2-dict",
    ]
    static let sparkFiles = ["car-spark-snappy", "car-spark-zstd", "car-spark-gzip"]
    /// PySpark 4.3 and pyarrow: the venv .ci/test.sh sets up (.ci/pipe-spark-setup.sh).
    static let python = repoFile("training/.venvs/pipe-spark/bin/python")
    static let extraColumns = ["id", "i8", "i16", "i32", "u8", "u32", "f32", "f64", "flag", "note"]

    /// Copies fixtures into a fresh input folder.
    static func input(_ names: [String]) throws -> (root: URL, input: URL) {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name + ".parquet"),
                                             to: input.appendingPathComponent(name + ".parquet"))
        }
        return (root, input)
    }

    static func parquet(_ options: inout TransformOptions) {
        options.parquetInput = true
        options.contentType = nil
        options.splitType = .none
    }

    @Test(arguments: pyarrowFiles + sparkFiles)
    func everyProducerCodecAndPageLayoutScoresAsTheTrainingFrameworks(_ name: String) async throws {
        let (root, input) = try Self.input([name])
        let summary = try await transform(input, root.appendingPathComponent("out")) {
            Self.parquet(&$0)
            $0.passThrough = ["id", "class"]
        }
        #expect(summary.isSuccess && summary.records == 1728, "\(summary.text())")
        let lines = try read(root.appendingPathComponent("out/\(name).parquet.out")).split(separator: "\n")
        #expect(lines.count == 1728)
        var scored: [Substring] = []
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: ",", maxSplits: 2)
            #expect(fields.count == 3 && fields[0] == "\(index)" && String(fields[1]) == carRows[index].fields[6],
                    "row \(index): \(line)")
            scored.append(fields.count == 3 ? fields[2] : "")
        }
        expectCarOutput(scored, carRows[...])
    }

    @Test func parquetOutputsReadBackByPyarrowAndSparkWithEveryPassThroughType() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path),
                     "training/.venvs/pipe-spark is missing (bash .ci/pipe-spark-setup.sh; .ci/test.sh runs it)")
        let (root, input) = try Self.input(["car-pyarrow-snappy-v1-dict"])
        let summary = try await transform(input, root.appendingPathComponent("out")) {
            Self.parquet(&$0)
            $0.parquetOutput = true
            $0.parquetRowGroupRows = 300
            $0.passThrough = Self.extraColumns
        }
        #expect(summary.isSuccess && summary.records == 1728, "\(summary.text())")
        let output = root.appendingPathComponent("out/car-pyarrow-snappy-v1-dict.parquet.out")
        let (status, text) = try await offPool {
            try runCombiningOutput(Self.python, [repoFile("Tests/Support/parquet_readback.py").path, output.path,
                                                 "--row-groups", "6", "--pass-through",
                                                 Self.extraColumns.joined(separator: ","), "--spark"])
        }
        #expect(status == 0 && text.contains("\n0 failed"), "\(text)")
        #expect(text.contains("ok   spark: probabilities"), "\(text)")
    }

    @Test func anObjectWithoutRowsGivesAnEmptyOutput() async throws {
        let (root, input) = try Self.input(["car-pyarrow-zstd-v1-plain"])
        // The last of 1,000 workers: its byte range holds only footer bytes, no row group.
        var options = TransformOptions()
        Self.parquet(&options)
        options.shardBy = .bytes
        options.shard = Shard(index: 999, count: 1_000)
        let job = TransformJob(pipeline: carPipeline, input: .prefix(try StorageLocation(input.path)),
                               output: try StorageLocation(root.appendingPathComponent("out").path),
                               options: options, stores: localStores)
        let summary = try await job.run()
        #expect(summary.isSuccess && summary.records == 0, "\(summary.text())")
        #expect(try read(root.appendingPathComponent("out/car-pyarrow-zstd-v1-plain.parquet.part-00999.out")) == "")
    }

    @Test(arguments: [
        ("price", "DECIMAL"), ("day", "DATE"), ("seen", "TIMESTAMP"), ("tags", "array<int>"),
        ("blob", "binary"), ("missing", "has no column 'missing'"),
    ])
    func unsupportedColumnsAreRefusedByNameOnlyWhenAskedFor(_ column: String, _ words: String) async throws {
        let (root, input) = try Self.input(["car-unsupported-types"])
        let plain = try await transform(input, root.appendingPathComponent("plain")) { Self.parquet(&$0) }
        #expect(plain.isSuccess && plain.records == 1728, "columns not asked for are never read: \(plain.text())")
        let asked = try await transform(input, root.appendingPathComponent("asked")) {
            Self.parquet(&$0)
            $0.passThrough = [column]
        }
        #expect(asked.failed == 1)
        let reason = asked.failures.first?.reason ?? ""
        #expect(reason.contains(words) && reason.contains("'\(column)'") && reason.contains("car-unsupported-types"), "\(reason)")
        #expect(files(under: root.appendingPathComponent("asked")).isEmpty)
    }

    @Test func truncatedAndForeignObjectsFailWithTheirNames() async throws {
        let root = try temporaryFolder()
        let bytes = try Data(contentsOf: Self.fixtures.appendingPathComponent("car-pyarrow-gzip-v2-dict.parquet"))
        var cut = bytes
        cut.replaceSubrange(20_000..<20_400, with: Data(repeating: 0xAB, count: 400))  // a corrupt page
        try cut.write(to: root.appendingPathComponent("in/corrupt.parquet").creatingFolder())
        try bytes.prefix(bytes.count - 100).write(to: root.appendingPathComponent("in/truncated.parquet"))
        try write("buying,maint\n", to: root.appendingPathComponent("in/text.parquet"))
        let summary = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("out")) {
            Self.parquet(&$0)
            $0.passThrough = Self.extraColumns  // every column chunk is read
        }
        #expect(summary.failed == 3 && summary.succeeded == 0, "\(summary.text())")
        for failure in summary.failures {
            #expect(failure.reason.contains("Parquet file"), "\(failure.object): \(failure.reason)")
        }
        #expect(files(under: root.appendingPathComponent("out")).isEmpty)
    }

    @Test func parquetOptionsThatCannotApplyAreRefused() async throws {
        var options = TransformOptions()
        Self.parquet(&options)
        options.compression = .gzip
        #expect(throws: ConveyorError.self) { try options.validate() }
        options.compression = .none
        options.joinSource = .input
        #expect(throws: ConveyorError.self) { try options.validate() }
        var text = TransformOptions()
        text.parquetOutput = true
        #expect(throws: ConveyorError.self) { try text.validate() }
        text.parquetOutput = false
        text.passThrough = ["id"]
        #expect(throws: ConveyorError.self) { try text.validate() }
    }
}

extension URL {
    /// The URL, after creating its parent folder.
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
