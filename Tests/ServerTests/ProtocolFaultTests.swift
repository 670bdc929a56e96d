import ConveyorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Client faults below the pipeline — malformed HTTP, a client leaving
/// mid-body, oversized heads, HTTP/1.0 — are 4xx with a JSON body (or a
/// counted client abort), never a 500.
@Suite struct ProtocolFaultTests {
    static let good = "low,low,5more,more,big,high\n"

    /// The `conveyor_requests_total` statuses `/metrics` reports.
    static func reportedStatuses(_ client: any TestClientProtocol) async throws -> Set<String> {
        let metrics = text(try await client.execute(uri: "/metrics", method: .get))
        var statuses: Set<String> = []
        for line in metrics.split(separator: "\n") where line.hasPrefix("conveyor_requests_total{") {
            if let range = line.range(of: "status=\"") {
                statuses.insert(String(line[range.upperBound...].prefix(3)))
            }
        }
        return statuses
    }

    @Test func aBadChunkSizeGets400NotA500() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            try connection.send("POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n1c\r\n\(Self.good)\r\nzz\r\n")
            let response = try #require(try await connection.response(timeout: .seconds(60)))
            #expect(response.status == 400, "\(response.body)")
            #expect(response.error?["code"] as? String == "invalid_request")
            #expect(response.headers["connection"] == "close")
            let statuses = try await Self.reportedStatuses(client)
            #expect(statuses.contains("400"))
            #expect(!statuses.contains("500"), "\(statuses)")
        }
    }

    @Test func aClientLeavingMidBodyIsCountedAs499NotA500() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let port = try #require(client.port)
            do {
                let connection = try RawConnection(port: port)
                try connection.send(csvHead(length: 1000) + Self.good)
                try await Task.sleep(for: .milliseconds(200))
            }  // closed here
            var statuses: Set<String> = []
            for _ in 0..<600 where !statuses.contains("499") {
                try await Task.sleep(for: .milliseconds(100))
                statuses = try await Self.reportedStatuses(client)
            }
            #expect(statuses.contains("499"), "\(statuses)")
            #expect(!statuses.contains("500"), "\(statuses)")
        }
    }

    @Test func http10RequestsGetConnectionCloseAndAreClosed() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            try connection.send("GET /ping HTTP/1.0\r\n\r\n")
            let (bytes, closed) = try await connection.receive(timeout: .seconds(60))
            let response = try #require(RawResponse(bytes, closed: closed))
            #expect(response.status == 200)
            #expect(response.headers["connection"] == "close")
            #expect(closed, "the server must close an HTTP/1.0 connection after the response")
        }
    }

    @Test func headersOverTheLimitGetAJSON431() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let port = try #require(client.port)
            for request in [
                "GET /ping HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n",
                "GET /ping?\(String(repeating: "q", count: 100_000)) HTTP/1.1\r\nHost: localhost\r\n\r\n",
            ] {
                let connection = try RawConnection(port: port)
                try? connection.send(request)
                let response = try #require(try await connection.response(timeout: .seconds(60)))
                #expect(response.status == 431, "\(response.body)")
                #expect(response.headers["content-type"] == "application/json")
                #expect(response.error?["code"] as? String == "headers_too_large")
            }
        }
    }

    @Test func aMalformedHeadGetsAJSON400() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            try connection.send("GET /ping HTTP/1.1\r\nHost localhost\r\n\r\n")
            let response = try #require(try await connection.response(timeout: .seconds(60)))
            #expect(response.status == 400, "\(response.body)")
            #expect(response.error?["code"] as? String == "invalid_request")
        }
    }

    /// A 5 MB unseen label: the error body and message stay short.
    @Test func errorMessagesQuoteABoundedPrefixOfTheValue() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            let label = String(repeating: "x", count: 5_000_000)
            let response = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: "low,low,5more,more,\(label),high\n"))
            #expect(response.status.code == 400)
            #expect(response.body.readableBytes < 4096, "error body of \(response.body.readableBytes) bytes")
            let error = try #require(errorObject(response))
            #expect(error["column"] as? String == "lug_boots")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("more bytes"), "\(message.prefix(300))")
        }
    }

    @Test func boundedForMessageKeepsShortTextAndCutsLongText() {
        #expect("short".boundedForMessage(10) == "short")
        let cut = String(repeating: "é", count: 50).boundedForMessage(10)
        #expect(cut == String(repeating: "é", count: 10) + "… (80 more bytes)")
    }

    @Test func invalidUTF8IsRefusedNamingRowAndColumn() async throws {
        try await withLiveServer(try makeLimitedServer(patientLimits)) { client in
            var body = Array((Self.good + Self.good).utf8)
            body.replaceSubrange(28 + 4..<28 + 7, with: [0x6C, 0xFF, 0x77])  // row 2, "low" in maint
            let response = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(bytes: body))
            #expect(response.status.code == 400)
            let error = try #require(errorObject(response))
            #expect(error["row"] as? Int == 2)
            #expect(error["column"] as? String == "maint")
            #expect((error["message"] as? String)?.contains("UTF-8") == true)
            #expect(error["stage"] == nil, "refused while decoding, before any stage saw it")
            let json = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "application/json"]),
                                                body: ByteBuffer(bytes: Array(#"{"data": ["l"#.utf8) + [0xC3] + Array(#"w","low","5more","more","big","high"]}"#.utf8)))
            #expect(json.status.code == 400)
            #expect((errorObject(json)?["message"] as? String)?.contains("UTF-8") == true)
        }
    }
}
