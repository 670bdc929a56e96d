import AsyncHTTPClient
import ConveyorCore
import ConveyorTestSupport
import Foundation
import NIOCore
import Pipeline
import Testing
@testable import Server

/// `conveyor serve --port 0 …` as a child process; `port` (and, with
/// `--grpc-port`, `grpcPort`) is read from its lines on standard output.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let grpcPort: Int?
    private let output = Pipe()

    /// `standardError`: a file for the process's log lines (else discarded).
    init(_ arguments: [String] = [], environment: [String: String] = [:], standardError: URL? = nil) async throws {
        process.executableURL = conveyorExecutable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = projectRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        if let standardError {
            FileManager.default.createFile(atPath: standardError.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: standardError)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        // "conveyor: serving NAME on http://HOST:PORT" (and "… over gRPC on HOST:PORT"), read off the cooperative pool.
        let reading = output.fileHandleForReading
        let wantsGRPC = arguments.contains("--grpc-port")
        let lines = try await offPool { () -> [String] in
            var lines: [String] = []
            var line = Data()
            while lines.count < (wantsGRPC ? 2 : 1) {
                let byte = reading.readData(ofLength: 1)
                guard !byte.isEmpty else { break }
                if byte.first == UInt8(ascii: "\n") {
                    lines.append(String(decoding: line, as: UTF8.self))
                    line = Data()
                } else {
                    line.append(byte)
                }
            }
            return lines
        }
        func portOf(_ marker: String) -> Int? {
            guard let text = lines.first(where: { $0.contains(marker) }), let colon = text.lastIndex(of: ":") else { return nil }
            return Int(text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let port = portOf(" on http://"), !wantsGRPC || portOf(" over gRPC on ") != nil else {
            process.terminate()
            throw ServeProcessError(message: "conveyor serve printed '\(lines.joined(separator: "\n"))'")
        }
        self.port = port
        grpcPort = portOf(" over gRPC on ")
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func terminate() async throws -> Int32 {
        if process.isRunning { process.terminate() }
        let process = self.process
        return try await offPool { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    deinit { if process.isRunning { process.terminate() } }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite(.serialized) struct ServeProcessTests {
    /// SIGTERM while requests are in flight. To know for sure that the
    /// requests were accepted, the `conveyor serve` process runs a pipeline
    /// whose first stage is remote: an in-process server whose gate stage
    /// holds every request until the test opens it. With all requests held,
    /// SIGTERM; the process must keep running and refuse new connections,
    /// then, once the gate opens, answer every held request in full and exit 0.
    @Test func sigtermDrainsInFlightRequestsAndExitsZero() async throws {
        let gate = Gate()
        let registry = StageRegistry.builtin.adding("gate") { context in GateStage(name: context.definition.name, gate: gate) }
        let folder = try RemoteStageTests.folder()
        let gated = folder.appendingPathComponent("gated.json")
        try Data("""
            {"name": "gated-features", "stages": [
              {"name": "gate", "kind": "gate", "model": "none"},
              {"name": "features", "kind": "mleap", "model": "\(repoFile("models/car-evaluation/features.zip").path)",
               "schema": {"input": [\(RemoteStageTests.inputSchema)],
                          "output": {"name": "features", "type": "double", "struct": "vector"}}}],
             "output": ["features"]}
            """.utf8).write(to: gated)
        let gatedPipeline = try PipelineLoader(registry: registry).load(contentsOf: gated)
        let requests = 4
        let batches = (0..<requests).map { index in Array(carExpected[(index * 100)..<(index * 100 + 50)]) }

        try await withLiveServer(try makeServer([gatedPipeline])) { remote in
            let port = try #require(remote.port)
            let pipelineFile = try RemoteStageTests.remotePipelineFile(
                url: "http://127.0.0.1:\(port)/invocations", retries: 0, timeoutSeconds: 60)
            // A drain timeout far beyond the test's own waits: the held requests must be answered.
            let server = try await ServeProcess(["--pipeline", pipelineFile.path, "--drain-timeout", "600"])
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let answers = try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
                    for (index, batch) in batches.enumerated() {
                        group.addTask {
                            let (status, body) = try await post(client, server.url, csvBody(batch))
                            return (index, status, body)
                        }
                    }
                    // Every request has reached the remote stage: conveyor accepted them all.
                    try await gate.waitForArrivals(requests)
                    kill(server.process.processIdentifier, SIGTERM)
                    // Wait until the listener is closed: a request sent before that would be
                    // accepted and held at the gate like the others (CI, loaded: SIGTERM took
                    // over 0.5 s to act, the late request waited for the gate, the drain timed out).
                    var listening = true
                    for _ in 0..<600 where listening {
                        listening = (try? RawConnection(port: server.port)) != nil
                        if listening { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(!listening, "the server still accepts connections 60 s after SIGTERM")
                    #expect(server.process.isRunning, "the server must wait for its in-flight requests")
                    let late = try? await post(client, server.url, csvBody([carExpected[0]]))
                    #expect(late == nil, "a new request after SIGTERM must not be served: \(String(describing: late))")
                    await gate.open()
                    var answers: [(Int, Int, String)] = []
                    for try await answer in group { answers.append(answer) }
                    return answers
                }
                #expect(answers.count == requests)
                for (index, status, body) in answers {
                    #expect(status == 200, "\(body.prefix(300))")
                    expectCSV(body, equals: batches[index])
                }
            } catch {
                await gate.open()
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            var exited = !server.process.isRunning
            for _ in 0..<300 where !exited {
                try await Task.sleep(for: .milliseconds(100))
                exited = !server.process.isRunning
            }
            #expect(exited, "conveyor serve did not exit within 30 s of SIGTERM")
            if exited {
                #expect(server.process.terminationReason == .exit)
                #expect(server.process.terminationStatus == 0)
            }
        }
    }
}

extension ServeProcessTests {
    /// The log lines carry each request's metadata (Hummingbird's request id,
    /// set on every request's logger and formatted only when a line is
    /// written, `StandardErrorLogHandler`) in swift-log's stream format.
    @Test func aFailedRequestIsLoggedWithItsRequestID() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("serve-log-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: log) }
        let server = try await ServeProcess(["--pipeline", "pipelines/car-evaluation.json"],
                                            environment: ["CONVEYOR_LOG_LEVEL": "info"], standardError: log)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: server.url + "/invocations")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/csv")
        request.body = .bytes(ByteBuffer(string: "low,low,5more,more,big\n"))
        let response = try await client.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        try await client.shutdown()
        #expect(response.status.code == 400)
        let requestID = try #require(response.headers.first(name: "X-Request-Id"))
        _ = try await server.terminate()
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        let line = try #require(lines.first { $0.contains("invocation failed") }, "\(lines)")
        // "<timestamp> info <label>: <key=value …> [<module>] invocation failed"
        #expect(line.contains(" info "), "\(line)")
        #expect(line.contains("hb.request.id=\(requestID)"), "\(line)")
        #expect(line.contains("status=400"), "\(line)")
        #expect(line.contains("pipeline=car-evaluation"), "\(line)")
    }
}

func post(_ client: HTTPClient, _ url: String, _ body: String) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url + "/invocations")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "text/csv")
    request.headers.add(name: "Connection", value: "close")
    request.body = .bytes(ByteBuffer(string: body))
    let response = try await client.execute(request, timeout: .seconds(60))
    let bytes = try await response.body.collect(upTo: 64 << 20)
    return (Int(response.status.code), String(buffer: bytes))
}

/// Holds requests until opened, counting arrivals.
actor Gate {
    private var arrivals = 0
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func pass() async {
        arrivals += 1
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }

    /// Bounded: fails after 30 s.
    func waitForArrivals(_ count: Int) async throws {
        for _ in 0..<3000 {
            if arrivals >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServeProcessError(message: "only \(arrivals) of \(count) requests reached the gate")
    }
}

/// Passes its frame through once the gate opens.
struct GateStage: Stage {
    var name: String
    let gate: Gate
    var kind: String { "gate" }
    var inputs: [ColumnSpec] { RemoteStageTests.columns.map { ColumnSpec($0, ColumnType(.string)) } }
    var outputs: [ColumnSpec] { [] }
    var facts: [Fact] { [] }

    func transform(_ frame: Frame) async throws -> Frame {
        await gate.pass()
        return frame
    }
}
