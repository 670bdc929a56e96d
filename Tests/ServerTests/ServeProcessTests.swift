import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// The `conveyor` executable of the same build as this test bundle.
let conveyorExecutable: URL = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        Bundle.main.bundleURL,
        Bundle.main.bundleURL.deletingLastPathComponent(),
    ]
    for folder in candidates {
        let url = folder.appendingPathComponent("conveyor")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return projectRoot.appendingPathComponent(".build/debug/conveyor")
}()

/// `conveyor serve --port 0 …` as a child process; `port` is read from its
/// one line of standard output.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()

    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = conveyorExecutable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = projectRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "conveyor: serving NAME on http://HOST:PORT"
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ServeProcessError(message: "conveyor serve printed '\(text)'")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite(.serialized) struct ServeProcessTests {
    /// SIGTERM while large requests are in flight and small ones keep
    /// coming: every response that arrives is complete and right, the
    /// in-flight ones all succeed, and the process exits 0.
    @Test func sigtermDrainsInFlightRequestsAndExitsZero() async throws {
        let server = try ServeProcess()
        let big = String(repeating: csvBody(carExpected), count: 20)  // 34,560 rows, ~1 MB
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func post(_ body: String) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: server.url + "/invocations")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "text/csv")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), String(buffer: bytes))
        }
        // Warm up, so the big requests are surely accepted before SIGTERM.
        #expect(try await post(csvBody([carExpected[0]])).0 == 200)
        let results = try await withThrowingTaskGroup(of: (String, Int, String)?.self) { group in
            for _ in 0..<3 {
                group.addTask { let (status, body) = try await post(big); return ("big", status, body) }
            }
            group.addTask {
                // A stream of small requests; after shutdown they fail to connect.
                var answered = 0
                for _ in 0..<2000 {
                    guard let (status, body) = try? await post(csvBody([carExpected[5]])) else { break }
                    guard status == 200, body.hasPrefix(carExpected[5].label + ",") else { return ("small", status, body) }
                    answered += 1
                }
                return ("small", 200, "\(answered)")
            }
            try await Task.sleep(for: .milliseconds(300))
            kill(server.process.processIdentifier, SIGTERM)
            var all: [(String, Int, String)] = []
            for try await result in group { if let result { all.append(result) } }
            return all
        }
        for (kind, status, body) in results {
            #expect(status == 200, "\(kind): \(body.prefix(200))")
            if kind == "big" {
                let lines = body.split(separator: "\n")
                #expect(lines.count == carExpected.count * 20)
                #expect(lines.first?.hasPrefix(carExpected[0].label + ",") == true)
                #expect(lines.last?.hasPrefix(carExpected[1727].label + ",") == true)
            }
        }
        try await client.shutdown()
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
    }
}
