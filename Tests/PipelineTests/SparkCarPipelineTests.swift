import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// pipelines/car-evaluation.json end to end (CSV in, CSV out) equals
/// Spark's transform of the held-back rows (models/car-evaluation-spark/expected.json).
@Suite struct SparkCarPipelineTests {
    @Test func csvPredictionsEqualSpark() async throws {
        let pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation.json"))
        let data = try Data(contentsOf: repoFile("models/car-evaluation-spark/expected.json"))
        let json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        let rows = try #require(json["rows"] as? [[Any]])
        let expected = try #require(json["expected"] as? [[String: Any]])
        // Rows without nulls; null inputs are covered row by row in SparkMLTests.
        let complete = rows.indices.filter { rows[$0].allSatisfy { $0 is String } }
        #expect(complete.count >= 40)
        let csv = complete.map { rows[$0].map { $0 as! String }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let body = try await pipeline.predict(Array(csv.utf8), contentType: "text/csv", accept: "text/csv")
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == complete.count)
        for (line, index) in zip(lines, complete) {
            let want = try #require(expected.first { ($0["row"] as? NSNumber)?.intValue == index }?["values"] as? [String: Any])
            let fields = line.split(separator: ",").map(String.init)
            #expect(fields.first == want["predicted_class"] as? String, "row \(index)")
            let probabilities = (want["probability"] as? [NSNumber] ?? []).map(\.doubleValue)
            #expect(!probabilities.isEmpty, "row \(index): no expected probabilities")
            let result = NumericComparison(parsing: Array(fields.dropFirst()), probabilities, tolerance: .absolute(1e-6),
                                           label: "row \(index) probabilities")
            #expect(result.matches, "\(result)")
        }
    }
}
