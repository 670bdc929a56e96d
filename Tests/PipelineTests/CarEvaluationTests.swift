import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// The bundled default pipeline against the training frameworks' own
/// predictions (scikit-learn + mleap features, XGBoost 3.0.5) for all
/// 1,728 rows, written by training/car_evaluation.py.
@Suite struct CarEvaluationTests {
    let pipeline: Pipeline
    let expected: [[String]]

    init() throws {
        pipeline = try PipelineLoader().load(contentsOf: repoFile("pipelines/car-evaluation-sklearn.json"))
        expected = try lines(repoFile("models/car-evaluation/expected.csv")).dropFirst().map(fields)
    }

    @Test func allRowsMatchTheTrainingFrameworks() async throws {
        #expect(expected.count == 1728)
        let body = expected.map { $0[0..<6].joined(separator: ",") }.joined(separator: "\n") + "\n"
        let output = try await pipeline.predict(Array(body.utf8), as: .csv, returning: .csv)
        let rows = String(decoding: output, as: UTF8.self).split(separator: "\n").map { fields(String($0)) }
        #expect(rows.count == expected.count)
        for (index, (row, want)) in zip(rows, expected).enumerated() {
            // predicted_class, then the 4 probabilities.
            #expect(row.count == 5, "row \(index + 1)")
            #expect(row.first == want[7], "row \(index + 1): label")
        }
        let probabilities = NumericComparison(parsing: rows.flatMap { $0.dropFirst() }, expected.flatMap { $0[9..<13] },
                                              tolerance: .absolute(1e-6), columns: 4, label: "probabilities")
        #expect(probabilities.matches, "\(probabilities)")
    }

    @Test func jsonAndJSONLinesGiveTheSameAnswers() async throws {
        let row = expected[1000]
        let quoted = row[0..<6].map { "\"\($0)\"" }.joined(separator: ",")
        let json = try await pipeline.predict(Array(#"{"data": [\#(quoted)]}"#.utf8), contentType: "application/json",
                                        accept: "application/jsonlines")
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasPrefix(#"{"predicted_class":"\#(row[7])","probabilities":["#))
        let csv = try await pipeline.predict(Array((row[0..<6].joined(separator: ",") + "\n").utf8),
                                       contentType: nil, accept: "*/*")
        #expect(String(decoding: csv, as: UTF8.self).hasPrefix(row[7] + ","))
    }

    @Test func theChainIsTheSageMakerShape() {
        #expect(pipeline.stages.map(\.kind) == ["mleap", "xgboost", "mleap"])
        #expect(pipeline.inputs.map(\.name) == ["buying", "maint", "doors", "persons", "lug_boots", "safety"])
        #expect(pipeline.outputs.map(\.name) == ["predicted_class", "probabilities"])
        #expect(pipeline.stages[0].outputs.first?.type == .vector(21))
        #expect(pipeline.stages[1].inputs.first?.type == .vector(21))
    }
}
