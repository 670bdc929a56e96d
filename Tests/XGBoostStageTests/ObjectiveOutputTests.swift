import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
import XGBoost
@testable import XGBoostStage

/// The output columns of the objectives added for issue 11, on the
/// objectives fixtures (Tests/Fixtures/xgboost-objectives), compared
/// exactly with the producer's predictions.
@Suite struct ObjectiveOutputTests {
    private func stage(_ version: String, _ file: String, outputs: [String]? = nil) throws -> XGBoostStage {
        try XGBoostStage(name: "xgb", modelURL: StageFixtures.url(StageFixtures.objectives(version), file),
                         input: "features", outputs: outputs)
    }

    private func run(_ stage: XGBoostStage, _ version: String) throws -> Frame {
        try stage.transform(try StageFixtures.frame(StageFixtures.objectives(version), "inputs_adult.csv"))
    }

    private func expected(_ version: String, _ file: String) throws -> [[Double]] {
        try StageFixtures.csv(StageFixtures.objectives(version), file)
    }

    private func expectExact(_ got: [Double], _ expected: [Double], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let result = NumericComparison(got, expected, tolerance: .exact, label: what)
        #expect(result.matches, "\(result)", sourceLocation: sourceLocation)
    }

    @Test func hingeGivesClassKeysLikeTheContainer() throws {
        let keys = ["predicted_label", "labels", "raw_score", "raw_scores"]
        let stage = try stage("3.4.1", "binary_hinge.ubj", outputs: keys)
        #expect(stage.outputs.map(\.type.vectorWidth) == [nil, 2, nil, 2])
        let out = try run(stage, "3.4.1")
        let p = try expected("3.4.1", "binary_hinge.pred.csv").map { $0[0] }
        #expect(Set(p) == [0, 1], "both classes occur, so the check is not vacuous")
        expectExact(StageFixtures.doubles(out.column("predicted_label")), p, "predicted_label")
        expectExact(StageFixtures.doubles(out.column("raw_score")), p, "raw_score")
        expectExact(StageFixtures.doubles(out.column("raw_scores")), p.flatMap { [1 - $0, $0] }, "raw_scores")
        #expect(StageFixtures.doubles(out.column("labels")) == Array(repeating: [0.0, 1.0], count: p.count).flatMap { $0 })
        // No probabilities: hinge predicts the class itself.
        #expect(throws: ConveyorError.self) { try self.stage("3.4.1", "binary_hinge.ubj", outputs: ["probability"]) }
    }

    @Test(arguments: ["reg_gamma", "reg_tweedie", "count_poisson", "survival_cox", "survival_aft",
                      "reg_absoluteerror", "reg_pseudohubererror"])
    func regressionsGivePredictedScore(_ model: String) throws {
        for version in ["2.1.4", "3.4.1"] {
            let stage = try stage(version, "\(model).json", outputs: ["predicted_score"])
            #expect(stage.outputs == [ColumnSpec("predicted_score", ColumnType(.float))])
            let out = try run(stage, version)
            expectExact(StageFixtures.doubles(out.column("predicted_score")),
                        try expected(version, "\(model).pred.csv").map { $0[0] }, "\(version) \(model)")
            #expect(throws: ConveyorError.self) { try self.stage(version, "\(model).json", outputs: ["predicted_label"]) }
        }
    }

    @Test func multiTargetGivesOneValuePerTarget() throws {
        let plain = try stage("3.4.1", "multi_target_per_tree.json")
        #expect(plain.outputs == [ColumnSpec("score", ColumnType(.float, .vector(width: 2)))])
        let values = try expected("3.4.1", "multi_target_per_tree.pred.csv").flatMap { $0 }
        expectExact(StageFixtures.doubles(try run(plain, "3.4.1").column("score")), values, "score")

        let scored = try stage("3.4.1", "multi_target_per_tree.ubj", outputs: ["predicted_score"])
        #expect(scored.outputs == [ColumnSpec("predicted_score", ColumnType(.float, .vector(width: 2)))])
        let out = try run(scored, "3.4.1")
        #expect(out.column("predicted_score")?.type.vectorWidth == 2)
        expectExact(StageFixtures.doubles(out.column("predicted_score")), values, "predicted_score")

        let error = try #require(throws: ConveyorError.self) {
            try self.stage("2.1.4", "multi_target_per_tree.json", outputs: ["probability"])
        }
        #expect(error.code == .invalidPipeline && error.message.contains("2 targets"), "\(error)")
    }
}
