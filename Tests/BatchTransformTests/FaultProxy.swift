import ConveyorTestSupport
import ConveyorCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tests/Support/fault_proxy.py in front of a moto server: forwards
/// requests unchanged and fails the first N of a kind (`list=2:503`,
/// `get=1:cut`, `put=-1:reset`, …). Stopped by `stop()`.
final class FaultProxy: @unchecked Sendable {
    let process: Process
    let endpoint: String
    private let portFile: String

    init(upstream: MotoServer, rules: [String]) async throws {
        portFile = FileManager.default.temporaryDirectory.appendingPathComponent("fault-proxy-\(UUID().uuidString)").path
        process = Process()
        process.executableURL = MotoServer.venv.appendingPathComponent("bin/python")
        let upstreamHost = String(upstream.endpoint.dropFirst("http://".count))
        process.arguments = [projectRoot.appendingPathComponent("Tests/Support/fault_proxy.py").path, portFile, upstreamHost] + rules
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: String?
        for _ in 0..<200 where port == nil {
            port = try? String(contentsOfFile: portFile, encoding: .utf8)
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let port, process.isRunning else {
            MotoServer.kill(process)
            throw ConveyorError(.internal, "fault_proxy.py did not start")
        }
        endpoint = "http://127.0.0.1:\(port)"
    }

    /// Does not block (it is called from `defer` in async tests).
    func stop() {
        MotoServer.kill(process)
    }

    /// Requests seen and faults injected so far, by kind.
    func stats() throws -> (requests: [String: Int], faults: [String: Int]) {
        guard let data = FileManager.default.contents(atPath: portFile + ".stats") else { return ([:], [:]) }
        let object = try ExactJSON.object(with: data) as? [String: [String: Int]]
        return (object?["requests"] ?? [:], object?["faults"] ?? [:])
    }
}
