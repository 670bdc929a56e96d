import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
import XGBoost
@testable import XGBoostStage

@Suite struct XGBoostStageErrorTests {
    private func loadError(_ url: URL, outputs: [String]? = nil, inputWidth: Int? = nil) -> ConveyorError? {
        do {
            _ = try XGBoostStage(name: "scorer", modelURL: url, input: "features", outputs: outputs,
                                 inputWidth: inputWidth)
            return nil
        } catch let error as ConveyorError {
            return error
        } catch {
            Issue.record("not a ConveyorError: \(error)")
            return nil
        }
    }

    @Test func missingModelFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent/xgb/model.ubj")
        let error = try #require(loadError(url))
        #expect(error.code == .modelNotFound)
        #expect(error.stage == "scorer")
        #expect(error.message.contains("/nonexistent/xgb/model.ubj"))
    }

    @Test func corruptAndTruncatedModels() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("conveyor-xgb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try Data(contentsOf: StageFixtures.url("3.0.5", "multi_softprob.ubj"))
        let truncated = directory.appendingPathComponent("truncated.ubj")
        try whole.prefix(whole.count * 2 / 3).write(to: truncated)
        let garbage = directory.appendingPathComponent("garbage.json")
        try Data("{\"learner\": [1, 2".utf8).write(to: garbage)

        for url in [truncated, garbage] {
            let error = try #require(loadError(url))
            #expect(error.code == .modelCorrupt, "\(error)")
            #expect(error.message.contains(url.path), "\(error)")
        }
    }

    @Test func unsupportedObjective() throws {
        let text = try String(contentsOf: StageFixtures.url("3.0.5", "reg_squarederror.json"), encoding: .utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-map-\(UUID().uuidString).json")
        try text.replacingOccurrences(of: #""name":"reg:squarederror""#, with: #""name":"rank:map""#)
            .write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(loadError(url))
        #expect(error.code == .unsupportedModel)
        #expect(error.message.contains("rank:map") && error.message.contains(url.path))
    }

    @Test func keysInvalidForTheObjectiveAreRefused() throws {
        let url = StageFixtures.url("3.4.1", "reg_squarederror.json")
        let error = try #require(loadError(url, outputs: ["predicted_score", "probabilities"]))
        #expect(error.code == .invalidPipeline)
        #expect(error.message.contains("probabilities") && error.message.contains("reg:squarederror"))
        let unknown = try #require(loadError(url, outputs: ["score_of_doom"]))
        #expect(unknown.message.contains("score_of_doom"))
        let logitraw = try #require(loadError(StageFixtures.url("3.4.1", "binary_logitraw.json"), outputs: ["probability"]))
        #expect(logitraw.code == .invalidPipeline)
    }

    @Test func declaredInputWidthMustMatch() throws {
        let error = try #require(loadError(StageFixtures.url("3.4.1", "multi_softprob.ubj"), inputWidth: 20))
        #expect(error.code == .chainMismatch)
        #expect(error.message.contains("21"))
    }

    @Test func wrongWidthInputNamesStageAndColumn() throws {
        let stage = try XGBoostStage(name: "scorer", modelURL: StageFixtures.url("3.0.5", "binary_logistic.json"),
                                     input: "feats", outputs: nil)
        let frame = try Frame(columns: [Column.vectors("feats", VectorBlock(width: 9, rows: 3))])
        #expect {
            try stage.transform(frame)
        } throws: { error in
            guard let error = error as? ConveyorError else { return false }
            return error.code == .invalidInput && error.stage == "scorer" && error.column == "feats"
                && error.message.contains("10")
        }
        let missing = try Frame(columns: [Column.vectors("other", VectorBlock(width: 10, rows: 3))])
        #expect(throws: ConveyorError.self) { try stage.transform(missing) }
    }

    @Test func withoutAnInputItReadsTheDefaultColumn() throws {
        let stage = try XGBoostStage(name: "scorer", modelURL: StageFixtures.url("1.7.6", "reg_logistic.bin"),
                                     input: nil, outputs: ["predicted_score"])
        #expect(stage.inputs == [ColumnSpec(XGBoostStage.defaultInput, .vector(10))])
        let frame = try StageFixtures.frame("1.7.6", "inputs_adult.csv", column: "features")
        let expected = try StageFixtures.csv("1.7.6", "reg_logistic.pred.csv").map { $0[0] }
        let got = StageFixtures.doubles(try stage.transform(frame).column("predicted_score"))
        let result = NumericComparison(got, expected, tolerance: .absolute(1e-6), label: "predicted_score")
        #expect(result.matches, "\(result)")
    }

    @Test func factsDescribeTheModelAndCorrection() throws {
        let corrected = try XGBoostStage(name: "s", modelURL: StageFixtures.url("3.4.1", "multi_softprob.ubj"),
                                         input: nil, outputs: nil)
        let facts = Dictionary(uniqueKeysWithValues: corrected.facts.map { ($0.label, $0.value) })
        #expect(facts["format"] == "ubjson")
        #expect(facts["xgboost version"] == "3.4.1")
        #expect(facts["objective"] == "multi:softprob")
        #expect(facts["num_feature"] == "21" && facts["num_class"] == "4" && facts["trees"] == "80")
        #expect(facts["base_score corrected"] == "yes")
        #expect(facts["base_score"]?.hasPrefix("[6.0753345E-1,-1.1222138E0,1.7404318E0,-1.2257516E0]") == true)

        let legacy = try XGBoostStage(name: "s", modelURL: StageFixtures.url("2.1.4", "binary_logistic.bin"),
                                      input: nil, outputs: nil)
        let legacyFacts = Dictionary(uniqueKeysWithValues: legacy.facts.map { ($0.label, $0.value) })
        #expect(legacyFacts["format"] == "legacy_binary")
        #expect(legacyFacts["base_score corrected"] == "no")
    }
}
