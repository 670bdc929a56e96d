import AsyncHTTPClient
import Foundation
import Testing
@testable import Server

/// `conveyor serve --micro-batching`: many concurrent requests, each of its
/// own rows, some with a bad row. Each good request gets exactly its rows'
/// answers (the training framework's, `expected.csv`); each bad one a 400
/// naming the row in its own body; the others are not disturbed by it.
/// (`MicroBatcherTests` shows the merging itself, with a held call.)
@Suite struct MicroBatchingServeTests {
    @Test func concurrentRequestsEachGetTheirOwnRowsAndTheirOwnErrors() async throws {
        let server = try await ServeProcess(["--pipeline", "pipelines/car-evaluation-sklearn.json",
                                             "--micro-batching", "--micro-batch-max-rows", "8"])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let requests = (0..<96).map { index -> (rows: [CarExpectation], bad: Bool) in
                let start = (index * 17) % (carExpected.count - 3)
                return (Array(carExpected[start..<(start + 1 + index % 3)]), index % 10 == 3)
            }
            let answers = try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
                for (index, request) in requests.enumerated() {
                    group.addTask {
                        var body = csvBody(request.rows)
                        if request.bad { body = csvBody([request.rows[0]]) + "low,low,2,2,huge,low\n" }
                        let (status, text) = try await post(client, server.url, body)
                        return (index, status, text)
                    }
                }
                var answers: [(Int, Int, String)] = []
                for try await answer in group { answers.append(answer) }
                return answers.sorted { $0.0 < $1.0 }
            }
            #expect(answers.count == requests.count)
            for (index, status, text) in answers {
                if requests[index].bad {
                    #expect(status == 400, "request \(index): \(text)")
                    let error = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["error"] as? [String: Any]
                    #expect(error?["row"] as? Int == 2, "its own row, not the merged call's: \(text)")
                    #expect(error?["column"] as? String == "lug_boots", "request \(index): \(text)")
                } else {
                    #expect(status == 200, "request \(index): \(text)")
                    expectCSV(text, equals: requests[index].rows)
                }
            }
        } catch {
            try? await client.shutdown()
            _ = try? await server.terminate()
            throw error
        }
        try await client.shutdown()
        #expect(try await server.terminate() == 0)
    }
}
