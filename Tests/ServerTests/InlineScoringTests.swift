import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import Server

/// Where an invocation is scored: a lone request with a body of at most
/// `ServerLimits.inlineScoringBytes` in its own task (no hop to the scoring
/// threads); anything larger, debug traces and requests while other
/// connections have requests in progress on the `ScoringExecutor`.
/// `ServerBehaviourTests.stagesRunOffTheEventLoop` checks neither is an event loop.
@Suite struct InlineScoringTests {
    static let csv = headers(["Content-Type": "text/csv"])

    @Test func aSmallBodyIsScoredWithoutTheScoringThreads() async throws {
        let server = try makeServer()
        let rows = Array(carExpected.prefix(3))
        let body = csvBody(rows)
        #expect(body.utf8.count <= server.configuration.limits.inlineScoringBytes)
        try await withLiveServer(server) { client in
            let before = server.scoring.jobsRun
            let response = try await client.execute(uri: "/invocations", method: .post, headers: Self.csv,
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            expectCSV(text(response), equals: rows)
            #expect(server.scoring.jobsRun == before, "a small body hopped to the scoring threads")
        }
    }

    @Test func aBodyOverTheBoundIsScoredOnTheScoringThreads() async throws {
        let server = try makeServer()
        let rows = Array(carExpected.prefix(400))
        let body = csvBody(rows)
        #expect(body.utf8.count > server.configuration.limits.inlineScoringBytes)
        try await withLiveServer(server) { client in
            let before = server.scoring.jobsRun
            let response = try await client.execute(uri: "/invocations", method: .post, headers: Self.csv,
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            expectCSV(text(response), equals: rows)
            #expect(server.scoring.jobsRun > before, "a large body was scored in the request's task")
        }
    }

    @Test func aZeroBoundSendsEveryBodyToTheScoringThreads() async throws {
        let server = try makeLimitedServer(patientLimits { $0.inlineScoringBytes = 0 })
        let rows = Array(carExpected.prefix(1))
        try await withLiveServer(server) { client in
            let before = server.scoring.jobsRun
            let response = try await client.execute(uri: "/invocations", method: .post, headers: Self.csv,
                                                    body: ByteBuffer(string: csvBody(rows)))
            #expect(response.status == .ok)
            expectCSV(text(response), equals: rows)
            #expect(server.scoring.jobsRun > before)
        }
    }

    @Test func aDebugTraceIsBuiltOnTheScoringThreads() async throws {
        let server = try makeServer(trace: .debug)
        try await withLiveServer(server) { client in
            let before = server.scoring.jobsRun
            var fields = Self.csv
            fields[ConveyorServer.traceHeader] = "debug"
            let response = try await client.execute(uri: "/invocations", method: .post, headers: fields,
                                                    body: ByteBuffer(string: csvBody(Array(carExpected.prefix(1)))))
            #expect(response.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(text(response).utf8)) as? [String: Any]
            #expect((object?["stages"] as? [Any])?.count == 3, "\(text(response))")
            #expect(object?["request_id"] as? String == response.headers[ConveyorServer.requestIDHeader])
            #expect(server.scoring.jobsRun > before)
        }
    }

    @Test func onlyALoneSmallRequestWithoutADebugTraceIsScoredInline() {
        #expect(ConveyorServer.scoresInline(bodyBytes: 4096, trace: .none, limit: 4096, othersBusy: 0))
        #expect(!ConveyorServer.scoresInline(bodyBytes: 4097, trace: .none, limit: 4096, othersBusy: 0))
        #expect(ConveyorServer.scoresInline(bodyBytes: 10, trace: .timings, limit: 4096, othersBusy: 0))
        #expect(!ConveyorServer.scoresInline(bodyBytes: 10, trace: .debug, limit: 4096, othersBusy: 0))
        #expect(!ConveyorServer.scoresInline(bodyBytes: 10, trace: .none, limit: 4096, othersBusy: 1))
    }
}
