import ConveyorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
@testable import Server

/// A server with `limits`, for the hostile-client tests.
func makeLimitedServer(_ limits: ServerLimits, maxBodyBytes: Int = 6 * 1024 * 1024) throws -> ConveyorServer {
    let registry = PrometheusCollectorRegistry()
    return ConveyorServer(
        catalog: try PipelineCatalog([carPipeline]),
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, limits: limits),
        logger: testLogger, metricsFactory: PrometheusMetricsFactory(registry: registry), prometheus: registry)
}

/// `POST /invocations` head for a CSV body of `length` bytes.
func csvHead(length: Int, extra: String = "") -> String {
    "POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: \(length)\r\n\(extra)\r\n"
}

/// Slow and idle clients: every connection that does not keep up is closed
/// or answered, within the configured times (real sockets, live server).
///
/// The waits are upper bounds that return as soon as the answer comes: they
/// are long because CI runs suites at once on few cores, where the in-process
/// server can wait seconds for a thread. What a test tells apart (the header
/// timeout from the idle timeout) is set minutes apart, not seconds.
@Suite struct HostileClientTests {
    static let good = "low,low,5more,more,big,high\n"

    @Test func aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        let limits = ServerLimits(headerTimeout: .milliseconds(500), idleTimeout: .seconds(600))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let idle = try RawConnection(port: port)
            let start = ContinuousClock.now
            let (bytes, closed) = try await idle.receive(timeout: .seconds(60))
            #expect(closed, "an idle connection must be closed by the 0.5 s header timeout (the idle timeout is 600 s)")
            #expect(bytes.isEmpty)
            #expect(ContinuousClock.now - start >= .milliseconds(400))
        }
    }

    @Test func aHalfSentHeadIsClosedAfterTheHeaderTimeout() async throws {
        let limits = ServerLimits(headerTimeout: .milliseconds(500), idleTimeout: .seconds(600))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            try connection.send("POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Ty")
            let (_, closed) = try await connection.receive(timeout: .seconds(60))
            #expect(closed)
        }
    }

    @Test func aKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        let limits = ServerLimits(headerTimeout: .seconds(600), idleTimeout: .milliseconds(500))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            try connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try #require(try await connection.response(timeout: .seconds(60)))
            #expect(response.status == 200)
            #expect(response.headers["connection"] != "close", "the answer keeps the connection alive")
            let (_, closed) = try await connection.receive(timeout: .seconds(60))
            #expect(closed, "a kept-alive connection idle past the timeout must be closed")
        }
    }

    /// Each request moves the idle deadline: the timer set after the first
    /// request fires while the connection is still within the idle time of
    /// the second, and must not close it (the guard keeps one timer and moves
    /// a deadline rather than setting a timer per request).
    @Test func theIdleTimeoutCountsFromTheLastRequest() async throws {
        let limits = ServerLimits(headerTimeout: .seconds(600), idleTimeout: .seconds(3))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            var lastAnswer = ContinuousClock.now
            for _ in 0..<3 {
                try connection.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let response = try #require(try await connection.response(timeout: .seconds(60)))
                #expect(response.status == 200)
                #expect(!response.closed, "a connection used within its idle time stays open")
                lastAnswer = ContinuousClock.now
                // Past the first request's 3 s by the third request, within the idle time of each.
                try await Task.sleep(for: .seconds(2))
            }
            let (_, closed) = try await connection.receive(timeout: .seconds(60))
            #expect(closed, "idle past the timeout after its last request")
            #expect(ContinuousClock.now - lastAnswer >= .milliseconds(2_500))
        }
    }

    /// Slowloris: 28 bytes trickled over ~14 s against a 1 s body timeout
    /// is refused with 408 and never scored. The bounds are loose because CI
    /// runs every suite at once on two cores: there the 408's handler can
    /// wait seconds for a pool thread, past the default 2 s after which the
    /// connection is closed regardless.
    @Test func aTrickledBodyGets408AndIsNotScored() async throws {
        let limits = ServerLimits(bodyTimeout: .seconds(1), timeoutResponseGrace: .seconds(12))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            let body = Array(Self.good.utf8)
            #expect(body.count == 28)
            try connection.send(csvHead(length: body.count))
            let start = ContinuousClock.now
            let trickle = Task {
                for byte in body {
                    try? connection.send([byte])
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            let response = try #require(try await connection.response(timeout: .seconds(20)))
            trickle.cancel()
            #expect(response.status == 408, "\(response.body)")
            #expect(response.error?["code"] as? String == "request_timeout")
            #expect(response.headers["connection"] == "close")
            #expect(ContinuousClock.now - start < .seconds(12))
            let (_, closed) = try await connection.receive(timeout: .seconds(30))
            #expect(closed || response.closed)
        }
    }

    @Test func aSteadyBodyWithinTheTimeoutIsScored() async throws {
        // 300 ms between two pieces against 30 s: loose for a loaded CI machine.
        let limits = ServerLimits(bodyTimeout: .seconds(30))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            let body = Array(Self.good.utf8)
            try connection.send(csvHead(length: body.count))
            for piece in [body[..<10], body[10...]] {
                try connection.send(Array(piece))
                try await Task.sleep(for: .milliseconds(300))
            }
            let response = try #require(try await connection.response(timeout: .seconds(40)))
            #expect(response.status == 200)
            #expect(response.body.hasPrefix("vgood,"))
        }
    }
}
