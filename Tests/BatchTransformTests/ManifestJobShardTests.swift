import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

@Suite struct ManifestJobShardTests {
    @Test func manifestInputNamesOutputsByTheListedKeys() async throws {
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("data"), names: ["x/one.csv", "two.csv", "unlisted.csv"], sizes: [3, 4, 5])
        try write(#"[{"prefix": "\#(root.path)/data/"}, "two.csv", "x/one.csv"]"#, to: root.appendingPathComponent("m.manifest"))
        let summary = try await transform(root.appendingPathComponent("m.manifest"), root.appendingPathComponent("out"), manifest: true)
        #expect(summary.succeeded == 2 && summary.records == 7)
        #expect(files(under: root.appendingPathComponent("out")) == ["two.csv.out", "x/one.csv.out"])
        expectCarOutput(try read(root.appendingPathComponent("out/x/one.csv.out")).split(separator: "\n"), carRows[0..<3])
    }

    /// Shaped as the CreateTransformJob request syntax in SageMaker's API
    /// reference, with the CSV DataProcessing example of the developer guide.
    @Test func aCreateTransformJobRequestRunsUnchanged() async throws {
        let root = try temporaryFolder()
        try write(carRows[0..<30].enumerated().map { "\($0.offset),\($0.element.csv)\n" }.joined(),
                  to: root.appendingPathComponent("in/batch/data.csv"))
        let request = """
            {
                "TransformJobName": "car-evaluation-batch",
                "ModelName": "car-evaluation",
                "MaxConcurrentTransforms": 2,
                "MaxPayloadInMB": 6,
                "BatchStrategy": "MultiRecord",
                "Environment": {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"},
                "ModelClientConfig": {"InvocationsTimeoutInSeconds": 600, "InvocationsMaxRetries": 3},
                "TransformInput": {
                    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "\(root.path)/in"}},
                    "ContentType": "text/csv",
                    "CompressionType": "None",
                    "SplitType": "Line"
                },
                "TransformOutput": {"S3OutputPath": "\(root.path)/out", "Accept": "text/csv", "AssembleWith": "Line", "KmsKeyId": ""},
                "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1},
                "DataProcessing": {"InputFilter": "$[1:]", "JoinSource": "Input", "OutputFilter": "$[0,7,8,9,10,11]"},
                "Tags": [{"Key": "team", "Value": "ml"}]
            }
            """
        let job = try JobRequest.decode(Array(request.utf8), source: "job.json")
        let options = try job.options()
        #expect(options.splitType == .line && options.effectiveBatchStrategy == .multiRecord && options.maxConcurrentTransforms == 2)
        let transformJob = TransformJob(pipeline: carPipeline, input: .prefix(try StorageLocation(job.TransformInput.DataSource.S3DataSource.S3Uri)),
                                        output: try StorageLocation(job.TransformOutput.S3OutputPath), options: options, stores: localStores)
        let summary = try await transformJob.run()
        #expect(summary.isSuccess && summary.records == 30)
        let lines = try read(root.appendingPathComponent("out/batch/data.csv.out")).split(separator: "\n")
        #expect(lines.count == 30)
        for (index, (line, row)) in zip(lines, carRows).enumerated() {
            let fields = line.split(separator: ",").map(String.init)
            #expect(fields[0] == String(index))
            expectCarOutput([fields[1...].joined(separator: ",")[...]], [row][...])
        }
    }

    @Test func badJobFilesAreNamed() throws {
        let missing = #expect(throws: ConveyorError.self) {
            _ = try JobRequest.decode(Array(#"{"TransformInput": {"DataSource": {"S3DataSource": {"S3Uri": "x"}}}}"#.utf8), source: "j.json")
        }
        #expect(missing?.message.contains("TransformOutput") == true)
        let job = try JobRequest.decode(Array(#"{"TransformInput": {"DataSource": {"S3DataSource": {"S3Uri": "x"}}, "SplitType": "Paragraph"}, "TransformOutput": {"S3OutputPath": "y"}}"#.utf8), source: "j.json")
        let bad = #expect(throws: ConveyorError.self) { _ = try job.options() }
        #expect(bad?.message.contains("SplitType 'Paragraph'") == true)
    }

    /// N workers with the same input cover every object exactly once.
    @Test func shardsPartitionTheObjects() async throws {
        let root = try temporaryFolder()
        let names = (0..<40).map { "p\($0 / 10)/object-\($0).csv" }
        _ = try writeCarObjects(root.appendingPathComponent("in"), names: names, sizes: Array(repeating: 2, count: 40))
        let all = try await transform(root.appendingPathComponent("in"), root.appendingPathComponent("all"))
        var seen: [String] = []
        for index in 0..<3 {
            let out = root.appendingPathComponent("shard-\(index)")
            let summary = try await transform(root.appendingPathComponent("in"), out) { $0.shard = Shard(index: index, count: 3) }
            #expect(summary.isSuccess && summary.objects > 5, "shard \(index) has \(summary.objects) objects")
            for file in files(under: out) {
                seen.append(file)
                #expect(try read(out.appendingPathComponent(file)) == read(root.appendingPathComponent("all/\(file)")))
            }
        }
        #expect(all.succeeded == 40)
        #expect(seen.sorted() == files(under: root.appendingPathComponent("all")))
        #expect(Set(seen).count == seen.count)
        // The hash is FNV-1a: stable across processes and machines.
        #expect(Shard.hash("") == 0xcbf2_9ce4_8422_2325 && Shard.hash("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
