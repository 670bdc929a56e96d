import ConveyorTestSupport
import Foundation
import Testing

/// tritonclient and schemathesis (pinned in Tests/PythonClients/requirements.txt,
/// installed by .ci/clients-setup.sh) against a live server, plus every
/// example in docs/open-inference-protocol.md. The driver prints its own 'N passed,
/// N failed' line; any failure fails this test.
@Suite struct InferenceProtocolClientTests {
    @Test func tritonclientSchemathesisAndTheDocumentedExamples() async throws {
        let python = PythonClientTests.python
        try #require(FileManager.default.isExecutableFile(atPath: python.path),
                     "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let script = projectRoot.appendingPathComponent("Tests/PythonClients/run_oip_clients.py").path
        let (status, output) = try await withLiveServer(try makeServer()) { client in
            let port = try #require(client.port)
            // Off the cooperative pool: this test's in-process server needs those threads.
            return try await offPool { try runCombiningOutput(python, [script, "--url", "http://127.0.0.1:\(port)"]) }
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        #expect(output.contains("ok   tritonclient infer: exactly /invocations' answers"), "\(output)")
        #expect(output.contains("ok   example 4 (python)"), "\(output)")
        #expect(output.contains("ok   schemathesis: every route conforms to docs/openapi.yaml, no 5xx"), "\(output)")
    }
}
