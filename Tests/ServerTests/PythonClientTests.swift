import ConveyorTestSupport
import Foundation
import Testing

/// boto3 and awscli (pinned in Tests/PythonClients/requirements.txt,
/// installed by .ci/clients-setup.sh) against a live server, plus every
/// example in docs/serving.md. The driver prints its own 'N passed, N
/// failed' line; any failure fails this test.
@Suite struct PythonClientTests {
    static let python = projectRoot.appendingPathComponent("training/.venvs/clients/bin/python")

    @Test func boto3AwscliAndTheDocumentedExamples() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path),
                     "run `bash .ci/clients-setup.sh` first (.ci/test.sh does)")
        let server = try makeServer()
        let (status, output) = try await withLiveServer(server) { client in
            let port = try #require(client.port)
            // Off the cooperative pool: this test's in-process server needs those threads.
            return try await offPool { try Self.run(port: port) }
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains(" passed, 0 failed"), "\(output)")
        #expect(output.contains("ok   boto3 EnableExplanations"), "\(output)")
    }

    static func run(port: Int) throws -> (status: Int32, output: String) {
        try runCombiningOutput(python, [projectRoot.appendingPathComponent("Tests/PythonClients/run_clients.py").path,
                                        "--url", "http://127.0.0.1:\(port)"])
    }
}
