import ConveyorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// The connection limit and the in-flight body budget: beyond them the
/// server answers 503 with a JSON error, and keeps answering `/ping`.
@Suite struct ServerLimitTests {
    /// Two connections busy uploading fill a limit of 2: a third gets a
    /// JSON 503 and is closed. (A `conveyor serve` process: the in-process
    /// test client would hold a connection of its own.)
    @Test func overTheConnectionLimitWithEveryoneBusyANewConnectionGets503() async throws {
        let server = try await ServeProcess(["--max-connections", "2", "--body-timeout", "30"])
        let busy = try (0..<2).map { _ in try RawConnection(port: server.port) }
        for connection in busy {
            try connection.send(csvHead(length: 100) + "low,")
        }
        try await Task.sleep(for: .milliseconds(300))
        let third = try RawConnection(port: server.port)
        try third.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try #require(try await third.response(timeout: .seconds(60)))
        #expect(response.status == 503)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["connection"] == "close")
        #expect(response.headers["retry-after"] == "1")
        #expect(response.error?["code"] as? String == "overloaded")
        #expect((response.error?["message"] as? String)?.contains("2 open connections") == true)
        let (_, closed) = try await third.receive(timeout: .seconds(30))
        #expect(closed || response.closed)
        // The busy uploads were not disturbed: finishing one gets its answer.
        try busy[0].send(String(repeating: "x", count: 96))
        let answered = try #require(try await busy[0].response(timeout: .seconds(60)))
        #expect(answered.status == 400)
        #expect(try await server.terminate() == 0)
    }

    /// Idle connections at the limit make room: the longest-idle one is
    /// closed and the new client is served.
    @Test func atTheLimitTheLongestIdleConnectionMakesRoom() async throws {
        // A long header timeout: on a loaded machine the steps below can take
        // seconds, and only the eviction may close these connections.
        let server = try await ServeProcess(["--max-connections", "2", "--header-timeout", "300"])
        let first = try RawConnection(port: server.port)
        try await Task.sleep(for: .milliseconds(200))
        let second = try RawConnection(port: server.port)
        try await Task.sleep(for: .milliseconds(200))
        let third = try RawConnection(port: server.port)
        try third.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try #require(try await third.response(timeout: .seconds(60)))
        #expect(response.status == 200)
        let (_, firstClosed) = try await first.receive(timeout: .seconds(30))
        #expect(firstClosed, "the longest-idle connection must be the one closed")
        try second.send("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await second.response(timeout: .seconds(60))?.status == 200)
        #expect(try await server.terminate() == 0)
    }

    /// A 900-byte upload in progress holds 900 of a 1,000-byte budget: a
    /// 200-byte request waits its 200 ms and gets 503; once the upload is
    /// done, the same request is scored.
    @Test func aBodyBeyondTheInflightBudgetGets503() async throws {
        let limits = ServerLimits(bodyTimeout: .seconds(30), maxInflightBodyBytes: 1000, bodyBudgetWait: .milliseconds(200))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let port = try #require(client.port)
            let rows = String(repeating: Self.good, count: 32)  // 896 bytes
            let holder = try RawConnection(port: port)
            try holder.send(csvHead(length: rows.utf8.count) + String(rows.prefix(100)))
            try await Task.sleep(for: .milliseconds(300))
            let small = String(repeating: Self.good, count: 7)  // 196 bytes
            let refused = try await client.execute(uri: "/invocations", method: .post,
                                                   headers: headers(["Content-Type": "text/csv"]), body: ByteBuffer(string: small))
            #expect(refused.status.code == 503, "\(text(refused).prefix(300))")
            #expect(errorObject(refused)?["code"] as? String == "overloaded")
            #expect(refused.headers[.retryAfter] == "1")
            try holder.send(String(rows.dropFirst(100)))
            let held = try #require(try await holder.response(timeout: .seconds(60)))
            #expect(held.status == 200)
            #expect(held.body.split(separator: "\n").count == 32)
            let accepted = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]), body: ByteBuffer(string: small))
            #expect(accepted.status == .ok)
            #expect(text(accepted).split(separator: "\n").count == 7)
        }
    }

    @Test func aBodyLargerThanTheWholeBudgetGets503AtOnce() async throws {
        // A wait of an hour: had the server waited, the test would take it; a
        // starved CI machine takes seconds, not minutes.
        let limits = ServerLimits(maxInflightBodyBytes: 100, bodyBudgetWait: .seconds(3600))
        try await withLiveServer(try makeLimitedServer(limits)) { client in
            let start = ContinuousClock.now
            let response = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: String(repeating: Self.good, count: 10)))
            #expect(response.status.code == 503)
            #expect(ContinuousClock.now - start < .seconds(300), "a body that can never fit must not wait for room")
        }
    }

    @Test func theBudgetServesWaitersInOrderAndTimesOut() async throws {
        let budget = BodyBudget(capacity: 100)
        #expect(await budget.reserve(80, wait: .zero))
        #expect(await budget.reserve(30, wait: .milliseconds(50)) == false)
        #expect(await budget.reserve(101, wait: .seconds(5)) == false)
        async let waiter = budget.reserve(50, wait: .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        budget.release(80)
        #expect(await waiter)
        #expect(budget.bytesInUse == 50)
        budget.release(50)
        #expect(budget.bytesInUse == 0)
    }

    /// The request path's reservation without a suspension point: it takes
    /// free bytes at once, and never jumps a request already waiting.
    @Test func reservingNowTakesFreeBytesButNeverOvertakesAWaiter() async throws {
        let budget = BodyBudget(capacity: 100)
        #expect(budget.reserveNow(60))
        #expect(!budget.reserveNow(50))
        #expect(!budget.reserveNow(101))
        #expect(!budget.reserveNow(-1))
        #expect(budget.bytesInUse == 60)
        async let waiter = budget.reserve(70, wait: .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        // 40 bytes are free, but the 70-byte request came first.
        #expect(!budget.reserveNow(10))
        budget.release(60)
        #expect(await waiter)
        #expect(budget.reserveNow(30))
        #expect(budget.bytesInUse == 100)
        budget.release(100)
        #expect(budget.bytesInUse == 0)
    }

    static let good = "low,low,5more,more,big,high\n"
}
