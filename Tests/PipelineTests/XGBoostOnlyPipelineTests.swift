import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import Pipeline

/// A one-stage pipeline over raw feature CSV, end to end through the CSV
/// codec, against each XGBoost version's own predictions (empty fields are
/// missing values, zeros are values).
@Suite struct XGBoostOnlyPipelineTests {
    static let cases: [(version: String, file: String)] = [
        ("1.7.6", "binary_logistic.json"), ("2.1.4", "binary_logistic.ubj"), ("3.0.5", "binary_logistic.json"),
        ("3.4.1", "binary_logistic.ubj"), ("3.4.1", "binary_logistic_imbalanced.json"), ("1.7.6", "binary_logistic.bin"),
    ]

    @Test(arguments: cases)
    func predictionsMatchTheProducer(version: String, file: String) async throws {
        let folder = repoFile("Tests/Fixtures/xgboost/\(version)")
        let model = folder.appendingPathComponent(file)
        let directory = try temporaryFolder()
        let url = try writePipeline("""
            {"name": "adult", "stages": [{"name": "model", "kind": "xgboost", "model": "\(model.path)"}]}
            """, in: directory)
        let pipeline = try PipelineLoader().load(contentsOf: url)
        let input = try Data(contentsOf: folder.appendingPathComponent("inputs_adult.csv"))
        let output = try await pipeline.predict([UInt8](input), contentType: "text/csv", accept: "text/csv")
        let got = String(decoding: output, as: UTF8.self).split(separator: "\n")
        let stem = (file as NSString).deletingPathExtension
        let want = try lines(folder.appendingPathComponent("\(stem).pred.csv"))
        #expect(want.count == 200)
        let result = NumericComparison(parsing: Array(got), want, tolerance: .absolute(1e-6), label: "\(version)/\(file)")
        #expect(result.matches, "\(result)")
    }

    /// `"engine"` picks the predictor; both give the same bytes, and the
    /// key is checked rather than ignored.
    @Test func engineOptionChoosesThePredictor() async throws {
        let folder = repoFile("Tests/Fixtures/xgboost/3.4.1")
        let model = folder.appendingPathComponent("multi_softprob_imbalanced.json")
        let directory = try temporaryFolder()
        let input = try [UInt8](Data(contentsOf: folder.appendingPathComponent("inputs_adult.csv")))
        var answers: [String: [UInt8]] = [:]
        for engine in ["native", "libxgboost"] {
            let url = try writePipeline("""
                {"name": "adult", "stages": [{"name": "model", "kind": "xgboost", "model": "\(model.path)",
                 "engine": "\(engine)"}]}
                """, in: directory)
            let pipeline = try PipelineLoader().load(contentsOf: url)
            let facts = pipeline.stages[0].facts
            let described = facts.first { $0.label == "engine" }?.value
            #expect(described == (engine == "native" ? "native" : "libxgboost (chosen)"))
            answers[engine] = try await pipeline.predict(input, contentType: "text/csv", accept: "text/csv")
        }
        #expect(answers["native"] == answers["libxgboost"])
        #expect(answers["native"]?.isEmpty == false)

        let unknown = try writePipeline("""
            {"name": "adult", "stages": [{"name": "model", "kind": "xgboost", "model": "\(model.path)", "engine": "gpu"}]}
            """, in: directory)
        #expect(throws: ConveyorError.self) { try PipelineLoader().load(contentsOf: unknown) }
        do {
            _ = try PipelineLoader().load(contentsOf: unknown)
        } catch let error as ConveyorError {
            #expect(error.message.contains("unknown engine 'gpu'; expected one of native, libxgboost"))
            #expect(error.stage == "model")
        }
    }
}
