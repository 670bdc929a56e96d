import BatchTransform
import ConveyorCore
import Foundation
import Storage
import Testing

/// Transient S3 failures are retried with bounded, jittered backoff;
/// persistent and non-retryable ones fail cleanly. A fault-injecting proxy
/// (Tests/Support/fault_proxy.py) sits between Conveyor and moto.
@Suite(.serialized) struct S3RetryTests {
    /// Short waits so the suite stays fast; the attempt count is the SDKs' default.
    static let quickRetries = S3RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))

    func run(through endpoint: String, _ moto: MotoServer, input: String, output: String, secret: String? = nil)
        async throws -> TransformSummary
    {
        var s3 = moto.configuration(partBytes: 4096, secret: secret)
        s3.endpoint = endpoint
        s3.retry = Self.quickRetries
        var options = TransformOptions()
        options.contentType = .csv
        options.splitType = .line
        options.maxPayloadBytes = 4096
        let configuration = s3
        let job = TransformJob(pipeline: carPipeline, input: .prefix(try StorageLocation(input)),
                               output: try StorageLocation(output), options: options, stores: StoreResolver { configuration })
        return try await job.run()
    }

    @Test func transientFailuresOfEveryRequestKindAreRetriedAndChangeNoByte() async throws {
        let moto = try await MotoServer(buckets: ["retry-data"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        // 300 and 200 rows give multipart outputs (4 KiB parts); 10 rows one PutObject.
        let objects = try writeCarObjects(root.appendingPathComponent("up"), names: ["a.csv", "b/b.csv", "c.csv"], sizes: [300, 200, 10])
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "retry-data", "in/"])
        let direct = try await run(through: moto.endpoint, moto, input: "s3://retry-data/in/", output: "s3://retry-data/direct/")
        #expect(direct.isSuccess && direct.succeeded == 3)

        let rules = ["list=2:503", "uploads=1:500", "head=1:reset", "get=1:cut", "initiate=1:reset", "part=1:reset",
                     "complete=1:500", "put=1:503"]
        let proxy = try await FaultProxy(upstream: moto, rules: rules)
        defer { proxy.stop() }
        let retried = try await run(through: proxy.endpoint, moto, input: "s3://retry-data/in/", output: "s3://retry-data/retried/")
        #expect(retried.isSuccess && retried.succeeded == 3 && retried.records == 510, "\(retried.failures)")
        let stats = try proxy.stats()
        #expect(stats.faults == ["list": 2, "uploads": 1, "head": 1, "get": 1, "initiate": 1, "part": 1, "complete": 1, "put": 1])

        let expected = try await moto.downloadAll("retry-data", "direct/")
        #expect(expected.count == 3)
        #expect(try await moto.downloadAll("retry-data", "retried/") == expected, "byte-identical to the run without faults")
        for object in objects {
            expectCarOutput(String(decoding: expected[object.name + ".out"] ?? Data(), as: UTF8.self).split(separator: "\n"), object.rows)
        }
        #expect(try await moto.boto3(["uploads", "retry-data"]).isEmpty, "no upload left behind")
    }

    @Test func persistentFailuresGiveUpAfterThreeAttemptsAndWriteNothing() async throws {
        let moto = try await MotoServer(buckets: ["stuck-data"])
        defer { moto.stop() }
        let root = try temporaryFolder()
        _ = try writeCarObjects(root.appendingPathComponent("up"), names: ["a.csv", "b.csv"], sizes: [50, 50])
        try await moto.boto3(["upload", root.appendingPathComponent("up").path, "stuck-data", "in/"])

        // Every GET answers 503 SlowDown: each object fails after 3 attempts, the job reports both.
        let slow = try await FaultProxy(upstream: moto, rules: ["get=-1:503"])
        defer { slow.stop() }
        let summary = try await run(through: slow.endpoint, moto, input: "s3://stuck-data/in/", output: "s3://stuck-data/out/")
        #expect(summary.failed == 2 && summary.succeeded == 0)
        for failure in summary.failures {
            #expect(failure.reason.contains("HTTP 503 SlowDown") && failure.reason.contains("gave up after 3 attempts"), "\(failure.reason)")
        }
        #expect(try slow.stats().requests["get"] == 6, "3 attempts per object, no more")

        // Every listing's connection is reset: the job cannot start.
        let reset = try await FaultProxy(upstream: moto, rules: ["list=-1:reset"])
        defer { reset.stop() }
        let error = await #expect(throws: ConveyorError.self) {
            _ = try await run(through: reset.endpoint, moto, input: "s3://stuck-data/in/", output: "s3://stuck-data/out/")
        }
        #expect(error?.message.contains("cannot list s3://stuck-data/in/") == true && error?.message.contains("gave up after 3 attempts") == true,
                "\(String(describing: error))")
        #expect(try reset.stats().requests["list"] == 3)
        #expect(try await moto.downloadAll("stuck-data", "out/").isEmpty)
        #expect(try await moto.boto3(["uploads", "stuck-data"]).isEmpty)
    }

    @Test func rejectedSignaturesAndMissingBucketsFailAtTheFirstAttempt() async throws {
        let moto = try await MotoServer(buckets: ["real-bucket"])
        defer { moto.stop() }
        let proxy = try await FaultProxy(upstream: moto, rules: [])
        defer { proxy.stop() }
        let forged = await #expect(throws: ConveyorError.self) {
            _ = try await run(through: proxy.endpoint, moto, input: "s3://real-bucket/in/", output: "s3://real-bucket/out/",
                              secret: "wrong-secret")
        }
        #expect(forged?.message.contains("HTTP 403 SignatureDoesNotMatch") == true && forged?.message.contains("attempts") == false,
                "\(String(describing: forged))")
        #expect(try proxy.stats().requests["list"] == 1)
        let missing = await #expect(throws: ConveyorError.self) {
            _ = try await run(through: proxy.endpoint, moto, input: "s3://no-such-bucket/in/", output: "s3://real-bucket/out/")
        }
        #expect(missing?.message.contains("HTTP 404 NoSuchBucket") == true, "\(String(describing: missing))")
        #expect(try proxy.stats().requests["list"] == 2)
    }

    @Test func backoffIsFullJitterBoundedByTheCeiling() {
        let policy = S3RetryPolicy()
        #expect(policy.maxAttempts == 3)
        #expect(policy.delay(afterAttempt: 1, random: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2, random: 1) == .seconds(2))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterAttempt: 9, random: 1) == .seconds(20))
        #expect(policy.delay(afterAttempt: 2, random: 0) == .zero)
        #expect(S3RetryPolicy.isRetryable(status: 503, code: "SlowDown") && S3RetryPolicy.isRetryable(status: 200, code: "InternalError"))
        #expect(!S3RetryPolicy.isRetryable(status: 403, code: "SignatureDoesNotMatch") && !S3RetryPolicy.isRetryable(status: 404, code: "NoSuchBucket"))
    }
}
