import ConveyorTestSupport
import ConveyorCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Pipeline
@testable import Server

/// CSV bodies over the piece size are scored in pieces: the answers must be
/// the training framework's, rows in order, errors naming the row of the
/// whole body.
@Suite struct ChunkedScoringTests {
    static let pieces = patientLimits { $0.scoringChunkBytes = 1000 }

    @Test func piecesGiveTheTrainingFrameworksAnswersInOrder() async throws {
        try await withLiveServer(try makeLimitedServer(Self.pieces)) { client in
            let body = csvBody(carExpected)
            #expect(body.utf8.count > 40 * 1000, "the body must span many pieces")
            let response = try await client.execute(uri: "/invocations", method: .post,
                                                    headers: headers(["Content-Type": "text/csv"]), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            expectCSV(text(response), equals: carExpected)
        }
    }

    @Test func piecesAnswerJSONAsOneDocument() async throws {
        try await withLiveServer(try makeLimitedServer(Self.pieces)) { client in
            let rows = Array(carExpected.prefix(300))
            let response = try await client.execute(
                uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv", "Accept": "application/json"]),
                body: ByteBuffer(string: csvBody(rows)))
            #expect(response.status == .ok)
            let object = try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any]
            let predictions = try #require(object?["predictions"] as? [[String: Any]])
            #expect(predictions.count == rows.count)
            for (prediction, want) in zip(predictions, rows) {
                #expect(prediction["predicted_class"] as? String == want.label)
            }
        }
    }

    @Test func anErrorInALaterPieceNamesTheRowOfTheWholeBody() async throws {
        try await withLiveServer(try makeLimitedServer(Self.pieces)) { client in
            var lines = carExpected.prefix(500).map { $0.inputs.joined(separator: ",") }
            lines[449] = "low,low,5more,more,huge,high"
            let response = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: lines.joined(separator: "\n") + "\n"))
            #expect(response.status.code == 400)
            let error = try #require(errorObject(response))
            #expect(error["row"] as? Int == 450)
            #expect(error["column"] as? String == "lug_boots")
            lines[449] = "low,low"
            let short = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                 body: ByteBuffer(string: lines.joined(separator: "\n") + "\n"))
            #expect(errorObject(short)?["row"] as? Int == 450)
        }
    }

    @Test func blankLinesAloneAreStillEmptyInput() async throws {
        try await withLiveServer(try makeLimitedServer(Self.pieces)) { client in
            let response = try await client.execute(uri: "/invocations", method: .post, headers: headers(["Content-Type": "text/csv"]),
                                                    body: ByteBuffer(string: String(repeating: "\n", count: 5000)))
            #expect(response.status.code == 400)
            #expect(errorObject(response)?["code"] as? String == "empty_input")
        }
    }

    @Test func pieceEndsFallOnRecordEnds() {
        let body = Array("a,b\n\"x\ny\",c\nlong-record-without-end".utf8)
        #expect(Scoring.pieceEnd(body[...], from: 0, size: 5, type: .csv) == 4)
        // The quoted newline is not a record end; the record ends at 12.
        #expect(Scoring.pieceEnd(body[...], from: 4, size: 5, type: .csv) == 12)
        #expect(Scoring.pieceEnd(body[...], from: 12, size: 5, type: .csv) == body.count)
    }
}
