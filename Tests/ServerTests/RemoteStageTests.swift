import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Pipeline
import RemoteStage
import Testing
@testable import Server

/// A pipeline whose first stage is another Conveyor server: the features
/// stage served alone by server A, called by server B's `remote` stage.
@Suite struct RemoteStageTests {
    static let columns = ["buying", "maint", "doors", "persons", "lug_boots", "safety"]
    static let inputSchema = columns.map { #"{"name": "\#($0)", "type": "string"}"# }.joined(separator: ", ")

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-remote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Server A's pipeline: only the one-hot features.
    static func featuresPipeline() throws -> Pipeline {
        let file = try folder().appendingPathComponent("features.json")
        try Data("""
            {"name": "car-features", "stages": [
              {"name": "features", "kind": "mleap", "model": "\(repoFile("models/car-evaluation/features.zip").path)",
               "schema": {"input": [\(inputSchema)], "output": {"name": "features", "type": "double", "struct": "vector"}}}]}
            """.utf8).write(to: file)
        return try PipelineLoader().load(contentsOf: file)
    }

    /// Server B's pipeline: remote features, then the classifier and labels in process. The
    /// default timeout is a minute: on a CI machine busy with other suites the in-process remote
    /// server answered a 247-row call after more than 3 × 2 s. Tests of timeouts pass their own.
    static func remotePipeline(url: String, retries: Int = 2, timeoutSeconds: Double = 60) throws -> Pipeline {
        try PipelineLoader(registry: StageRegistry.builtin.addingRemote())
            .load(contentsOf: remotePipelineFile(url: url, retries: retries, timeoutSeconds: timeoutSeconds))
    }

    static func remotePipelineFile(url: String, retries: Int = 2, timeoutSeconds: Double = 60) throws -> URL {
        let file = try folder().appendingPathComponent("remote.json")
        try Data("""
            {"name": "car-remote", "stages": [
              {"name": "remote-features", "kind": "remote", "model": "\(url)", "timeout_seconds": \(timeoutSeconds),
               "retries": \(retries),
               "schema": {"input": [\(inputSchema)], "output": {"name": "features", "type": "double", "struct": "vector"}}},
              {"name": "classifier", "kind": "xgboost", "model": "\(repoFile("models/car-evaluation/xgboost.json").path)",
               "input": "features", "outputs": ["predicted_label", "probabilities"]},
              {"name": "labels", "kind": "mleap", "model": "\(repoFile("models/car-evaluation/labels.zip").path)",
               "schema": {"input": [{"name": "predicted_label", "type": "double"}],
                          "output": {"name": "predicted_class", "type": "string"}}}],
             "output": ["predicted_class", "probabilities"]}
            """.utf8).write(to: file)
        return file
    }

    @Test func aRemoteStageGivesTheSameAnswersAsInProcess() async throws {
        let rows = stride(from: 0, to: carExpected.count, by: 7).map { carExpected[$0] }
        try await withLiveServer(try makeServer([try Self.featuresPipeline()])) { remote in
            let port = try #require(remote.port)
            let url = "http://127.0.0.1:\(port)/endpoints/car-features/invocations"
            try await withLiveServer(try makeServer([try Self.remotePipeline(url: url)])) { client in
                let response = try await client.execute(uri: "/invocations", method: .post,
                                                        headers: headers(["Content-Type": "text/csv"]),
                                                        body: ByteBuffer(string: csvBody(rows)))
                #expect(response.status == .ok, "\(text(response).prefix(500))")
                expectCSV(text(response), equals: rows)
            }
        }
    }

    @Test func aRemoteRefusalIs424NamingTheStage() async throws {
        try await withLiveServer(try makeServer([try Self.featuresPipeline()])) { remote in
            let port = try #require(remote.port)
            // The container route, whose 400 is not wrapped as a ModelError.
            let url = "http://127.0.0.1:\(port)/invocations"
            // A generous per-attempt timeout: a busy machine answering the 400 late must
            // not turn it into a timeout and a retry; "after 1 attempt" is about 4xx only.
            let pipeline = try Self.remotePipeline(url: url, timeoutSeconds: 30)
            try await withLiveServer(try makeServer([pipeline])) { client in
                let response = try await client.execute(uri: "/invocations", method: .post,
                                                        headers: headers(["Content-Type": "text/csv"]),
                                                        body: ByteBuffer(string: "low,low,5more,more,huge,high\n"))
                #expect(response.status.code == 424)
                let error = errorObject(response)
                #expect(error?["stage"] as? String == "remote-features")
                #expect((error?["message"] as? String)?.contains("answered 400") == true, "\(text(response))")
                #expect((error?["message"] as? String)?.contains("after 1 attempt") == true, "a 4xx is not retried")
            }
        }
    }

    @Test func anUnreachableRemoteIs424AfterBoundedRetries() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let port = try await withLiveServer(try makeServer()) { client in try #require(client.port) }
        // A small per-attempt timeout: AsyncHTTPClient keeps retrying a refused connect
        // until the attempt's deadline, so each of the 3 attempts costs its full
        // timeout_seconds; 0.5 s keeps the limit below about the retry bound, not the machine.
        let pipeline = try Self.remotePipeline(url: "http://127.0.0.1:\(port)/invocations", retries: 2, timeoutSeconds: 0.5)
        let clock = ContinuousClock()
        let elapsed = try await withLiveServer(try makeServer([pipeline])) { client in
            let start = clock.now
            let response = try await client.execute(uri: "/endpoints/car-remote/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: "low,low,5more,more,big,high\n"))
            let elapsed = clock.now - start
            #expect(response.status.code == 424)
            #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!] == "ModelError")
            let object = try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any]
            #expect((object?["error"] as? [String: Any])?["stage"] as? String == "remote-features")
            #expect((object?["Message"] as? String)?.contains("cannot reach") == true)
            return elapsed
        }
        // The request alone (not the servers' start), and far above its ~2 s of attempts: an
        // unbounded retry never answers, while a full parallel test run on 2 cores delayed
        // this bounded one to 17 s (server start included) in CI.
        #expect(elapsed < .seconds(45))
    }

    @Test func aRemoteStageNeedsAURLAndASchema() throws {
        #expect(throws: (any Error).self) { try Self.remotePipeline(url: "not a url") }
    }
}
