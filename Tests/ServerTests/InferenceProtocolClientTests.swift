import ConveyorTestSupport
import Foundation
import Testing

/// tritonclient and schemathesis (pinned in Tests/PythonClients/requirements.txt,
/// installed by .ci/clients-setup.sh) against a running `conveyor serve`, plus
/// every example in docs/open-inference-protocol.md. The driver prints its own 'N passed,
/// N failed' line; any failure fails this test.
@Suite struct InferenceProtocolClientTests {
    @Test func tritonclientSchemathesisAndTheDocumentedExamples() async throws {
        let python = PythonClientTests.python
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let script = projectRoot.appendingPathComponent("Tests/PythonClients/run_oip_clients.py").path
        // The `conveyor` binary as a child process: its ~2,000 requests do not
        // take the test process's threads, which other suites' servers need.
        let server = try await ServeProcess(["--pipeline", "pipelines/car-evaluation-sklearn.json"])
        let (status, output) = try await Self.drive(server, [script, "--url", server.url])
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        #expect(output.contains("ok   tritonclient infer: exactly /invocations' answers"), "\(output)")
        #expect(output.contains("ok   kserve client infer: exactly /invocations' answers"), "\(output)")
        #expect(output.contains("ok   kserve client: server live and ready, model ready"), "\(output)")
        #expect(output.contains("ok   example 4 (python)"), "\(output)")
        #expect(output.contains("ok   schemathesis: every route of /openapi.yaml conforms, no 5xx"), "\(output)")
        #expect(output.contains("ok   /openapi.json: the pipeline's input columns, typed"), "\(output)")
        #expect(output.contains("ok   schemathesis: every route of /openapi.json matching car-evaluation-sklearn|^/invocations$ conforms, no 5xx"), "\(output)")
    }

    /// tritonclient.grpc (raw tensors) and KServe's InferenceGRPCClient (typed
    /// contents) against `conveyor serve --grpc-port`: the same answers as
    /// /invocations, errors as gRPC statuses naming the stage, row and tensor.
    @Test func tritonclientAndKServeOverGRPC() async throws {
        let python = PythonClientTests.python
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let script = projectRoot.appendingPathComponent("Tests/PythonClients/run_oip_grpc_clients.py").path
        let server = try await ServeProcess(["--pipeline", "pipelines/car-evaluation-sklearn.json",
                                             "--pipeline", "pipelines/titanic.json", "--grpc-port", "0"])
        let grpc = try #require(server.grpcPort)
        let (status, output) = try await Self.drive(server, [script, "--url", server.url, "--grpc", "127.0.0.1:\(grpc)"])
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        for line in ["grpc-example 1 (python): import numpy as np", "tritonclient grpc infer: exactly /invocations' answers", "kserve grpc client infer: exactly /invocations' answers",
                     "tritonclient grpc: an unseen label is INVALID_ARGUMENT naming the stage, row and column",
                     "tritonclient grpc: titanic's FP32 and INT64 tensors (raw) give /invocations' answers",
                     "kserve grpc client: titanic's FP32 and INT64 tensors (typed contents) give /invocations' answers"] {
            #expect(output.contains("ok   " + line), "\(output)")
        }
    }

    /// The client venv's python with `arguments` while `server` runs; then
    /// the server is stopped and must exit 0.
    static func drive(_ server: ServeProcess, _ arguments: [String]) async throws -> (Int32, String) {
        let python = PythonClientTests.python
        let result: (Int32, String)
        do {
            result = try await offPool { try runCombiningOutput(python, arguments) }
        } catch {
            _ = try? await server.terminate()
            throw error
        }
        #expect(try await server.terminate() == 0)
        return result
    }
}
