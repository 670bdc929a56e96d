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
        let url = server.url
        let status: Int32, output: String
        do {
            (status, output) = try await offPool { try runCombiningOutput(python, [script, "--url", url]) }
        } catch {
            _ = try? await server.terminate()
            throw error
        }
        #expect(try await server.terminate() == 0)
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
}
