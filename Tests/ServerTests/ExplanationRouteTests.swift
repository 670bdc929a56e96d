import ConveyorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Pipeline
import Testing
@testable import Server

/// Explanations over HTTP: `X-Conveyor-Explain: 1` (each row carries its
/// explanation) and SageMaker's `X-Amzn-SageMaker-Enable-Explanations`
/// (Clarify's response layout), on the scikit-learn Car pipeline, against
/// XGBoost's own pred_contribs summed over each column's one-hot block
/// (Tests/Fixtures/explanations/car-sklearn.json).
@Suite struct ExplanationRouteTests {
    struct Fixture: Decodable {
        struct Row: Decodable {
            let input: [String]
            let base: [Double]
            let columns: [String: [Double]]
        }

        let columns: [String]
        let rows: [Row]
    }

    let fixture: Fixture = try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: repoFile(
        "Tests/Fixtures/explanations/car-sklearn.json")))
    var rows: ArraySlice<Fixture.Row> { fixture.rows.prefix(6) }
    var body: String { rows.map { $0.input.joined(separator: ",") }.joined(separator: "\n") + "\n" }
    static let tolerance = NumericTolerance(absolute: 1e-6, relative: 1e-6)

    private func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try ExactJSON.object(with: Data(text(response).utf8)) as? [String: Any])
    }

    @Test func conveyorHeaderAddsEachRowsExplanation() async throws {
        try await withLiveServer(try makeServer()) { client in
            let response = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "Accept": "application/jsonlines", "X-Conveyor-Explain": "1"]),
                body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let lines = text(response).split(separator: "\n")
            try #require(lines.count == rows.count)
            var actual: [Double] = [], expected: [Double] = []
            for (line, row) in zip(lines, rows) {
                let object = try #require(try ExactJSON.object(with: Data(line.utf8)) as? [String: Any])
                let explanation = try #require(object["explanation"] as? [String: Any])
                #expect(explanation["method"] as? String == "tree_shap")
                let columns = try #require(explanation["columns"] as? [String: [NSNumber]])
                actual += (explanation["base"] as? [NSNumber] ?? []).map(\.doubleValue)
                expected += row.base
                for name in fixture.columns {
                    actual += (columns[name] ?? []).map(\.doubleValue)
                    expected += row.columns[name] ?? []
                }
            }
            let comparison = NumericComparison(actual, expected, tolerance: Self.tolerance, label: "X-Conveyor-Explain")
            #expect(comparison.matches, "\(comparison)")
        }
    }

    @Test func sageMakerHeaderAnswersInClarifysLayout() async throws {
        try await withLiveServer(try makeServer()) { client in
            let plain = try await client.execute(uri: "/invocations", method: .post,
                                                 headers: headers(["Content-Type": "text/csv", "Accept": "text/csv"]),
                                                 body: ByteBuffer(string: body))
            let response = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "Accept": "text/csv",
                                  "X-Amzn-SageMaker-Enable-Explanations": "`true`"]),
                body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = try object(response)
            #expect(document["version"] as? String == "1.0")
            let predictions = try #require(document["predictions"] as? [String: Any])
            #expect(predictions["content_type"] as? String == "text/csv")
            #expect(predictions["data"] as? String == text(plain), "the predictions are the plain response's bytes")
            // Named by the pipeline's labels stage, in class-index order (training/car_evaluation.py's encoder).
            #expect(document["label_headers"] as? [String] == ["acc", "good", "unacc", "vgood"])
            let explanations = try #require(document["explanations"] as? [String: Any])
            let records = try #require(explanations["tree_shap"] as? [[[String: Any]]])
            try #require(records.count == rows.count)
            var actual: [Double] = [], expected: [Double] = []
            for (record, row) in zip(records, rows) {
                #expect(record.compactMap { $0["feature_header"] as? String } == fixture.columns)
                for entry in record {
                    let attributions = try #require(entry["attributions"] as? [[String: Any]])
                    actual += (attributions.first?["attribution"] as? [NSNumber] ?? []).map(\.doubleValue)
                    expected += row.columns[entry["feature_header"] as? String ?? ""] ?? []
                }
            }
            let comparison = NumericComparison(actual, expected, tolerance: Self.tolerance, label: "Clarify layout")
            #expect(comparison.matches, "\(comparison)")

            let off = try await client.execute(
                uri: "/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "Accept": "text/csv",
                                  "X-Amzn-SageMaker-Enable-Explanations": "`false`"]),
                body: ByteBuffer(string: body))
            #expect(off.status == .ok)
            #expect(text(off) == text(plain))
        }
    }

    @Test func badExplainHeadersAndUnexplainablePipelinesAre400s() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let definition = #"{"name": "text", "stages": [{"name": "words", "kind": "sparkml", "model": "\#(repoFile("Tests/Fixtures/spark-text/pipeline").path)"}]}"#
        try Data(definition.utf8).write(to: folder.appendingPathComponent("text.json"))
        let textPipeline = try PipelineLoader().load(contentsOf: folder.appendingPathComponent("text.json"))
        try await withLiveServer(try makeServer([carPipeline, textPipeline])) { client in
            for (name, value) in [("X-Amzn-SageMaker-Enable-Explanations", "[?probability > `0.5`]"),
                                  ("X-Conveyor-Explain", "maybe")] {
                let response = try await client.execute(
                    uri: "/invocations", method: .post,
                    headers: headers(["Content-Type": "text/csv", "Accept": "application/jsonlines", name: value]),
                    body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(name): \(value)")
                #expect(text(response).contains(name), "\(text(response))")
            }
            let row = "the quick brown fox\n"
            let response = try await client.execute(
                uri: "/endpoints/text/invocations", method: .post,
                headers: headers(["Content-Type": "text/csv", "Accept": "application/jsonlines", "X-Conveyor-Explain": "1"]),
                body: ByteBuffer(string: row))
            // The Runtime API route sends a model-side 400 as SageMaker does: 424 ModelError with the original status.
            #expect(response.status.code == 424)
            let wrapper = try object(response)
            #expect(wrapper["OriginalStatusCode"] as? Int == 400, "\(wrapper)")
            let error = try #require(wrapper["error"] as? [String: Any])
            #expect(error["code"] as? String == "not_explainable", "\(error)")
            #expect((error["message"] as? String ?? "").contains("no stage of this pipeline can explain"), "\(error)")
        }
    }
}
