import ConveyorTestSupport
import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

/// The same job against a real S3 API (moto's server with signature
/// checks on), with boto3 writing the inputs and reading the outputs.
@Suite(.serialized) struct S3TransformTests {
    func run(_ moto: MotoServer, input: String, output: String, configuration: S3Configuration? = nil,
             configure: (inout TransformOptions) -> Void = { _ in }) async throws -> TransformSummary {
        var options = TransformOptions()
        options.contentType = .csv
        options.splitType = .line
        configure(&options)
        let s3 = configuration ?? moto.configuration()
        let job = TransformJob(pipeline: carPipeline, input: .prefix(try StorageLocation(input)),
                               output: try StorageLocation(output), options: options, stores: StoreResolver { s3 })
        return try await job.run()
    }

    @Test func carOutputsOverS3WithPaginationMultipartAndEmptyObjects() async throws {
        let moto = try await MotoServer(buckets: ["inputs", "outputs"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        let names = ["2024/01/part-a.csv", "2024/02/part-b.csv", "part c.csv"] + (0..<12).map { "small/s-\($0).csv" }
        let objects = try writeCarObjects(root.appendingPathComponent("up"), names: names, sizes: [600, 500, 400] + Array(repeating: 10, count: 12))
        try write("", to: root.appendingPathComponent("up/empty.csv"))
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "inputs", "jobs/in/"])
        // 4 KiB parts: the larger outputs go up as multipart uploads; 5 keys per listing page.
        let summary = try await run(moto, input: "s3://inputs/jobs/in", output: "s3://outputs/results/run1",
                                    configuration: moto.configuration(partBytes: 4096, listPageSize: 5)) {
            $0.maxPayloadBytes = 8192
            $0.maxConcurrentTransforms = 3
        }
        #expect(summary.isSuccess && summary.succeeded == 16 && summary.records == 1620)
        try await moto.boto3(["download", "outputs", "results/run1/", root.appendingPathComponent("down").path])
        #expect(files(under: root.appendingPathComponent("down")) == (names + ["empty.csv"]).map { $0 + ".out" }.sorted())
        for object in objects {
            expectCarOutput(try read(root.appendingPathComponent("down/\(object.name).out")).split(separator: "\n"), object.rows)
        }
        #expect(try read(root.appendingPathComponent("down/empty.csv.out")) == "")
        // A second run finds every output complete.
        let rerun = try await run(moto, input: "s3://inputs/jobs/in", output: "s3://outputs/results/run1")
        #expect(rerun.skipped == 16 && rerun.succeeded == 0)
    }

    @Test func aFailedObjectAbortsItsUploadAndLeavesNoObject() async throws {
        let moto = try await MotoServer(buckets: ["bucket-b"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        var lines = carRows[0..<900].map(\.csv)
        lines[850] = "not,a,car"
        try write(lines.joined(separator: "\n") + "\n", to: root.appendingPathComponent("up/bad.csv"))
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "bucket-b", "in/"])
        let summary = try await run(moto, input: "s3://bucket-b/in/", output: "s3://bucket-b/out/",
                                    configuration: moto.configuration(partBytes: 2048)) { $0.maxPayloadBytes = 4096 }
        #expect(summary.failed == 1 && summary.failures.first?.record == 851)
        try await moto.boto3(["download", "bucket-b", "out/", root.appendingPathComponent("down").path])
        #expect(files(under: root.appendingPathComponent("down")).isEmpty)
        #expect(try await moto.boto3(["uploads", "bucket-b"]).isEmpty, "the multipart upload was aborted")
    }

    /// Gzip'd JSON Lines in, filters and join, gzip out: the DataProcessing path over S3.
    @Test func gzipJSONLinesWithFiltersAndJoinOverS3() async throws {
        let moto = try await MotoServer(buckets: ["data-in", "data-out"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        let names = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
        let rows = carRows[200..<500]
        let text = rows.enumerated().map { index, row in
            "{\"id\": \(index), \"features\": {" + zip(names, row.inputs).map { "\"\($0)\": \"\($1)\"" }.joined(separator: ", ") + "}}\n"
        }.joined()
        try write(text, to: root.appendingPathComponent("plain/day=1/records.jsonl"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("up/day=1"), withIntermediateDirectories: true)
        try await shell("gzip -c '\(root.path)/plain/day=1/records.jsonl' > '\(root.path)/up/day=1/records.jsonl.gz'")
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "data-in", "in/"])
        let summary = try await run(moto, input: "s3://data-in/in/", output: "s3://data-out/scored") {
            $0.contentType = .jsonLines
            $0.accept = .jsonLines
            $0.compression = .gzip
            $0.outputCompression = .gzip
            $0.inputFilter = try? JSONPath.parse("$.features")
            $0.joinSource = .input
            $0.outputFilter = try? JSONPath.parse("$['id','SageMakerOutput']")
            $0.assembleWith = .line
            $0.maxPayloadBytes = 5000
        }
        #expect(summary.isSuccess && summary.records == 300)
        try await moto.boto3(["download", "data-out", "scored/", root.appendingPathComponent("down").path])
        #expect(files(under: root.appendingPathComponent("down")) == ["day=1/records.jsonl.gz.out.gz"])
        try await shell("gzip -dc '\(root.path)/down/day=1/records.jsonl.gz.out.gz' > '\(root.path)/result.jsonl'")
        let lines = try read(root.appendingPathComponent("result.jsonl")).split(separator: "\n")
        #expect(lines.count == 300)
        for (index, (line, row)) in zip(lines, rows).enumerated() {
            let object = try ExactJSON.object(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["id"] as? Int == index)
            #expect((object?["SageMakerOutput"] as? [String: Any])?["predicted_class"] as? String == row.label)
        }
    }

    @Test func missingBucketAndRejectedSignatureAreClearErrors() async throws {
        let moto = try await MotoServer(buckets: ["bucket-b"])
        defer { moto.stop() }
        let missing = await #expect(throws: ConveyorError.self) {
            _ = try await run(moto, input: "s3://no-such-bucket/in/", output: "s3://bucket-b/out/")
        }
        #expect(missing?.message.contains("NoSuchBucket") == true)
        let forged = await #expect(throws: ConveyorError.self) {
            _ = try await run(moto, input: "s3://bucket-b/in/", output: "s3://bucket-b/out/",
                              configuration: moto.configuration(secret: "wrong-secret"))
        }
        #expect(forged?.message.contains("SignatureDoesNotMatch") == true, "\(String(describing: forged))")
        #expect(forged?.message.contains("HTTP 403") == true)
    }
}
