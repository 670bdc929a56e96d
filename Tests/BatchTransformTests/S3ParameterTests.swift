import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

/// Every parameter case (ParameterCases.swift) over local folders and over
/// moto's S3 server: one server, inputs written by boto3 in one upload,
/// outputs read back by boto3 in one download. Each case's S3 outputs must
/// equal its local outputs byte for byte and pass the case's checks.
@Suite struct S3ParameterTests {
    func job(_ testCase: ParameterCase, input: StorageLocation, output: StorageLocation, stores: StoreResolver) throws -> TransformJob {
        var options = TransformOptions()
        options.contentType = .csv
        options.splitType = .line
        try testCase.configure(&options)
        return TransformJob(pipeline: carPipeline, input: testCase.manifest ? .manifest(input) : .prefix(input),
                            output: output, options: options, stores: stores)
    }

    @Test func everyParameterGivesTheSameBytesOverS3AsLocally() async throws {
        let moto = try await MotoServer(buckets: ["params", "params-out"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        for testCase in parameterCases {
            let local = root.appendingPathComponent("local/\(testCase.name)")
            try await testCase.prepare(local, local.path)
            try await testCase.prepare(root.appendingPathComponent("s3/\(testCase.name)"), "s3://params/\(testCase.name)")
        }
        try await moto.boto3(["upload", root.appendingPathComponent("s3").path, "params", ""])
        // 1 KiB parts (moto allows them here): the larger outputs go up as multipart uploads.
        let s3 = moto.configuration(partBytes: 1024)
        let s3Stores = StoreResolver { s3 }
        var summaries: [String: (local: TransformSummary, s3: TransformSummary)] = [:]
        for testCase in parameterCases {
            let localInput = try StorageLocation(root.appendingPathComponent("local/\(testCase.name)/\(testCase.input)").path)
            let localOutput = try StorageLocation(root.appendingPathComponent("local-out/\(testCase.name)").path)
            let localSummary = try await job(testCase, input: localInput, output: localOutput, stores: localStores).run()
            let s3Input = try StorageLocation("s3://params/\(testCase.name)/\(testCase.input)")
            let s3Summary = try await job(testCase, input: s3Input, output: try StorageLocation("s3://params-out/\(testCase.name)/"),
                                          stores: s3Stores).run()
            summaries[testCase.name] = (localSummary, s3Summary)
        }
        try await moto.boto3(["download", "params-out", "", root.appendingPathComponent("s3-out").path])

        var shardOutputs: [String] = []
        for testCase in parameterCases {
            let localFolder = root.appendingPathComponent("local-out/\(testCase.name)")
            let s3Folder = root.appendingPathComponent("s3-out/\(testCase.name)")
            var local: [String: Data] = [:], remote: [String: Data] = [:]
            for file in files(under: localFolder) { local[file] = try Data(contentsOf: localFolder.appendingPathComponent(file)) }
            for file in files(under: s3Folder) { remote[file] = try Data(contentsOf: s3Folder.appendingPathComponent(file)) }
            #expect(remote == local, "\(testCase.name): S3 outputs differ from local ones")
            let (localSummary, s3Summary) = summaries[testCase.name]!
            #expect(s3Summary.objects == localSummary.objects && s3Summary.succeeded == localSummary.succeeded
                    && s3Summary.failed == localSummary.failed && s3Summary.records == localSummary.records
                    && s3Summary.failedRecords == localSummary.failedRecords, "\(testCase.name): summaries differ")
            try await testCase.check(remote, s3Summary)
            if testCase.name.hasPrefix("shard-") { shardOutputs += remote.keys }
        }
        // The three shards together: every object once.
        #expect(shardOutputs.sorted() == (0..<24).map { "p\($0 / 8)/object-\($0).csv.out" }.sorted())
        #expect(try await moto.boto3(["uploads", "params-out"]).isEmpty)
    }
}
