#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import ConveyorTestSupport
import Foundation
import NIOCore
import Testing

/// `conveyor serve --pipeline FOLDER` as a child process: SIGHUP loads the
/// changed folder as version 2 (the command line's own loader), and a
/// broken folder keeps version 2 serving.
@Suite struct HotReloadProcessTests {
    @Test func sighupReloadsTheFolderAndABrokenOneKeepsTheOld() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-sighup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("car.json")
        try relocatedPipeline("pipelines/car-evaluation-sklearn.json", name: "car").write(to: file, options: .atomic)
        let server = try await ServeProcess(["--pipeline", folder.path])
        defer { _ = server.process.isRunning ? server.process.terminate() : () }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)

        func score() async throws -> (version: String?, body: String) {
            var request = HTTPClientRequest(url: server.url + "/invocations")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "text/csv")
            request.body = .bytes(ByteBuffer(string: HotReloadTests.row))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.headers.first(name: "X-Conveyor-Pipeline-Version"), String(buffer: body))
        }
        func hangUpAndWait(for version: String) async throws -> (version: String?, body: String) {
            kill(server.process.processIdentifier, SIGHUP)
            var answer = try await score()
            for _ in 0..<200 where answer.version != version {
                try await Task.sleep(for: .milliseconds(50))
                answer = try await score()
            }
            return answer
        }

        let first = try await score()
        #expect(first.version == "1" && first.body == HotReloadTests.sklearn, "\(first)")
        try relocatedPipeline("pipelines/car-evaluation.json", name: "car").write(to: file, options: .atomic)
        let second = try await hangUpAndWait(for: "2")
        #expect(second.version == "2" && second.body == HotReloadTests.spark, "\(second)")
        try Data("{not json".utf8).write(to: file, options: .atomic)
        kill(server.process.processIdentifier, SIGHUP)
        var reported = false
        for _ in 0..<200 where !reported {
            try await Task.sleep(for: .milliseconds(50))
            let metrics = try await client.execute(HTTPClientRequest(url: server.url + "/metrics"), timeout: .seconds(30))
            reported = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
                .contains(#"conveyor_pipeline_reloads_total{result="failed"} 1"#)
        }
        #expect(reported, "the failed reload is counted")
        let kept = try await score()
        #expect(kept.version == "2" && kept.body == HotReloadTests.spark, "a broken folder keeps the old version: \(kept)")
        #expect(server.process.isRunning, "SIGHUP does not stop the server")
        #expect(try await server.terminate() == 0)
        try await client.shutdown()
    }
}
