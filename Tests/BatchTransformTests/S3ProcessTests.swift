import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `conveyor transform` as a process against moto's S3 server: a job file
/// from SageMaker's documentation, kill -9 mid-job, and credentials that
/// may not read the input.
@Suite(.serialized) struct S3ProcessTests {
    let pipeline = repoFile("pipelines/car-evaluation-sklearn.json").path

    /// Tests/Fixtures/batch-transform/describe-transform-job.json, byte for byte as
    /// SageMaker's developer guide prints it; only the pipeline and the endpoint are given as flags.
    @Test func theJobFromSageMakersDocumentationRunsUnchanged() async throws {
        let moto = try await MotoServer(buckets: ["test-bucket"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        try write(carRows[0..<500].map { $0.csv + "\n" }.joined(), to: root.appendingPathComponent("up/data.csv"))
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "test-bucket", ""])
        let job = repoFile("Tests/Fixtures/batch-transform/describe-transform-job.json").path
        let result = try await runConveyor(["transform", "--job", job, "--pipeline", pipeline, "--s3-endpoint", moto.endpoint, "--no-progress"],
                                     environment: moto.processEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        for notice in ["ModelName 'test-model' is not used", "TransformResources ignored", "TransformJobArn ignored",
                       "TransformJobStatus ignored", "CreationTime ignored"] {
            #expect(result.stderr.contains("notice: \(notice)"), "\(result.stderr)")
        }
        let outputs = try await moto.downloadAll("test-bucket", "output/")
        #expect(outputs.keys.sorted() == ["data.csv.out"])
        expectCarOutput(String(decoding: outputs["data.csv.out"] ?? Data(), as: UTF8.self).split(separator: "\n"), carRows[0..<500])
    }

    /// Tests/Fixtures/batch-transform/create-transform-job.json: a CreateTransformJob request body
    /// exactly as AWS's Step Functions guide prints it (its SageMaker transform job example), run
    /// unchanged. No SplitType, so the whole object is one request, as SageMaker sends it.
    @Test func aDocumentedCreateTransformJobBodyRunsUnchanged() async throws {
        let moto = try await MotoServer(buckets: ["my-s3bucket-example-1"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        try write(carRows[0..<300].map { $0.csv + "\n" }.joined(), to: root.appendingPathComponent("up/TransformJobDataInput.txt"))
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "my-s3bucket-example-1", ""])
        let job = repoFile("Tests/Fixtures/batch-transform/create-transform-job.json").path
        let result = try await runConveyor(["transform", "--job", job, "--pipeline", pipeline, "--s3-endpoint", moto.endpoint, "--no-progress"],
                                           environment: moto.processEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        for notice in ["ModelName 'SageMakerCreateTransformJobModel-9iFBKsYti9vr' is not used", "TransformResources ignored"] {
            #expect(result.stderr.contains("notice: \(notice)"), "\(result.stderr)")
        }
        let outputs = try await moto.downloadAll("my-s3bucket-example-1", "TransformJobOutputPath/")
        #expect(outputs.keys.sorted() == ["TransformJobDataInput.txt.out"], "\(outputs.keys.sorted())")
        let text = String(decoding: outputs["TransformJobDataInput.txt.out"] ?? Data(), as: UTF8.self)
        expectCarOutput(text.split(separator: "\n"), carRows[0..<300])
    }

    @Test func killNineMidJobOverS3ThenRerunGivesByteIdenticalOutputs() async throws {
        let moto = try await MotoServer(buckets: ["kill-in", "kill-out"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        for index in 0..<20 {
            let rows = (0..<200).map { carRows[(index * 37 + $0) % carRows.count] }
            try write(carCSV(rows[...]), to: root.appendingPathComponent(String(format: "up/part-%02d.csv", index)))
        }
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "kill-in", "in/"])
        // One record per pipeline run, 1 KiB parts: each output (about 9 KiB) is a multipart upload that takes a while.
        let arguments = ["transform", "--input", "s3://kill-in/in/", "--split-type", "Line", "--batch-strategy", "SingleRecord",
                         "--max-concurrent-transforms", "2", "--pipeline", pipeline, "--no-progress"]
        var environment = moto.processEnvironment
        environment["CONVEYOR_S3_PART_BYTES"] = "1024"
        let reference = try await runConveyor(arguments + ["--output", "s3://kill-out/reference/"], environment: environment)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try await moto.downloadAll("kill-out", "reference/")
        #expect(expected.count == 20)

        // The run to kill goes through a proxy that delays each part upload by 100 ms, so the job's
        // pace does not depend on how busy this machine is, and holds every multipart completion
        // after the third: three outputs finish and the next uploads are surely in flight at the kill.
        let proxy = try await FaultProxy(upstream: moto, rules: ["part=-1:slow", "complete=+3:hold"])
        defer { proxy.stop() }
        let process = Process()
        process.executableURL = conveyorExecutable
        process.arguments = arguments + ["--output", "s3://kill-out/crashed/"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Watch the bucket: every visible .out must be complete; kill once some are done and an upload is in flight.
        let store = S3Store(bucket: "kill-out", configuration: moto.configuration())
        var sawIncomplete = false
        var checked: Set<String> = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning {
            for key in try await store.list(prefix: "crashed/").map(\.key) where !checked.contains(key) {
                let bytes = try await store.readAll(key: key)
                sawIncomplete = sawIncomplete || expected[String(key.dropFirst("crashed/".count))] != Data(bytes)
                checked.insert(key)
            }
            if checked.count >= 3, try await !store.incompleteUploads(prefix: "crashed/").isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        try await waitUntilExit(process)
        #expect(!sawIncomplete, "a partial .out was visible")
        let afterCrash = try await moto.downloadAll("kill-out", "crashed/")
        #expect(afterCrash.count >= 3 && afterCrash.count < 20, "killed mid-job: \(afterCrash.count) of 20 done")
        #expect(afterCrash.allSatisfy { expected[$0.key] == $0.value })
        let orphans = try await moto.boto3(["uploads", "kill-out"]).split(separator: "\n")
        print("kill -9 over S3: \(afterCrash.count) of 20 outputs complete, \(orphans.count) multipart uploads left in flight")
        #expect(!orphans.isEmpty && orphans.allSatisfy { $0.hasPrefix("crashed/") && !afterCrash.keys.contains(String($0.dropFirst(8))) },
                "the killed run left its in-flight multipart uploads, never objects: \(orphans)")

        let summaryFile = root.appendingPathComponent("summary.json")
        let rerun = try await runConveyor(arguments + ["--output", "s3://kill-out/crashed/", "--summary", summaryFile.path], environment: environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await moto.downloadAll("kill-out", "crashed/") == expected, "byte-identical to the uninterrupted run")
        #expect(try await moto.boto3(["uploads", "kill-out"]).isEmpty, "the rerun aborted the killed run's uploads")
        let summary = try ExactJSON.object(with: Data(contentsOf: summaryFile)) as? [String: Any]
        #expect(summary?["skipped"] as? Int == afterCrash.count && summary?["succeeded"] as? Int == 20 - afterCrash.count)
    }

    /// An IAM policy denies s3:ListBucket and s3:GetObject on the input bucket.
    @Test func anInputTheCredentialsMayNotReadIsAClearErrorAndWritesNothing() async throws {
        let moto = try await MotoServer(buckets: ["private-data", "results"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("up"), names: ["a.csv"], sizes: [5])
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "private-data", "in/"])
        let keys = try await moto.boto3(["restricted", "private-data"]).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var environment = moto.processEnvironment
        environment["AWS_ACCESS_KEY_ID"] = keys[0]
        environment["AWS_SECRET_ACCESS_KEY"] = keys[1]
        let result = try await runConveyor(["transform", "--input", "s3://private-data/in/", "--output", "s3://results/out/",
                                      "--split-type", "Line", "--pipeline", pipeline, "--no-progress"], environment: environment)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("error: cannot list s3://private-data/in/: HTTP 403 AccessDenied"), "\(result.stderr)")
        #expect(!result.stderr.contains("attempts"), "access denied is not retried")
        #expect(try await moto.downloadAll("results", "").isEmpty)
        // The same user may read the bucket it is allowed to: the denial is the policy's, not a broken setup.
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "results", "in/"])
        let allowed = try await runConveyor(["transform", "--input", "s3://results/in/", "--output", "s3://results/out/",
                                       "--split-type", "Line", "--pipeline", pipeline, "--no-progress"], environment: environment)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
