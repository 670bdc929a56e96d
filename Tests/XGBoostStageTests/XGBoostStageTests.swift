import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
import XGBoost
@testable import XGBoostStage

@Suite struct XGBoostStageTests {
    static let tolerance = 1e-6

    private func stage(_ version: String, _ file: String, outputs: [String]? = nil,
                       input: String? = "features") throws -> XGBoostStage {
        try XGBoostStage(name: "xgb", modelURL: StageFixtures.url(version, file), input: input, outputs: outputs)
    }

    private func expectClose(_ got: [Double], _ expected: [Double], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let result = NumericComparison(got, expected, tolerance: .absolute(Self.tolerance), label: what)
        #expect(result.matches, "\(result)", sourceLocation: sourceLocation)
    }

    @Test func defaultOutputIsScoreLikeTheContainer() throws {
        // 3.4.1 needs the base_score correction; the stage must get it too.
        let binary = try stage("3.4.1", "binary_logistic.json")
        #expect(binary.kind == "xgboost")
        #expect(binary.inputs == [ColumnSpec("features", .vector(10))])
        #expect(binary.outputs == [ColumnSpec("score", ColumnType(.float))])
        let out = try binary.transform(try StageFixtures.frame("3.4.1", "inputs_adult.csv"))
        #expect(out.columnNames == ["features", "score"])
        #expect(out.column("score")?.type.scalar == .float)
        expectClose(StageFixtures.doubles(out.column("score")),
                    try StageFixtures.csv("3.4.1", "binary_logistic.pred.csv").flatMap { $0 }, "binary score")

        let multi = try stage("3.4.1", "multi_softprob.ubj")
        #expect(multi.outputs == [ColumnSpec("score", ColumnType(.float, .vector(width: 4)))])
        let multiOut = try multi.transform(try StageFixtures.frame("3.4.1", "inputs_car.csv"))
        #expect(multiOut.column("score")?.type.vectorWidth == 4)
        expectClose(StageFixtures.doubles(multiOut.column("score")),
                    try StageFixtures.csv("3.4.1", "multi_softprob.pred.csv").flatMap { $0 }, "softprob score")
    }

    @Test func binaryKeysFollowTheContainer() throws {
        let keys = ["predicted_label", "labels", "probability", "probabilities", "raw_score", "raw_scores"]
        let stage = try stage("2.1.4", "binary_logistic.ubj", outputs: keys)
        #expect(stage.outputs.map(\.name) == keys)
        #expect(stage.outputs.map(\.type.vectorWidth) == [nil, 2, nil, 2, nil, 2])
        #expect(stage.outputs.allSatisfy { $0.type.scalar == .float })
        let out = try stage.transform(try StageFixtures.frame("2.1.4", "inputs_adult.csv"))
        let p = try StageFixtures.csv("2.1.4", "binary_logistic.pred.csv").map { $0[0] }

        #expect(StageFixtures.doubles(out.column("predicted_label")) == p.map { $0 > 0.5 ? 1 : 0 })
        #expect(StageFixtures.doubles(out.column("labels")) == Array(repeating: [0.0, 1.0], count: p.count).flatMap { $0 })
        expectClose(StageFixtures.doubles(out.column("probability")), p, "probability")
        expectClose(StageFixtures.doubles(out.column("probabilities")), p.flatMap { [1 - $0, $0] }, "probabilities")
        expectClose(StageFixtures.doubles(out.column("raw_score")), p, "raw_score")
        expectClose(StageFixtures.doubles(out.column("raw_scores")), p.flatMap { [1 - $0, $0] }, "raw_scores")
        // Both classes occur, so the label test is not vacuous.
        #expect(Set(StageFixtures.doubles(out.column("predicted_label"))) == [0, 1])
    }

    @Test func multiClassKeysFollowTheContainer() throws {
        let stage = try stage("3.4.1", "multi_softprob.json",
                              outputs: ["predicted_label", "probability", "probabilities", "labels"])
        #expect(stage.outputs.map(\.type.vectorWidth) == [nil, nil, 4, 4])
        let out = try stage.transform(try StageFixtures.frame("3.4.1", "inputs_car.csv"))
        let probs = try StageFixtures.csv("3.4.1", "multi_softprob.pred.csv")
        let labels = probs.map { row in Double(row.firstIndex(of: row.max()!)!) }
        #expect(StageFixtures.doubles(out.column("predicted_label")) == labels)
        expectClose(StageFixtures.doubles(out.column("probability")), probs.map { $0.max()! }, "probability")
        expectClose(StageFixtures.doubles(out.column("probabilities")), probs.flatMap { $0 }, "probabilities")
        #expect(StageFixtures.doubles(out.column("labels")).prefix(8) == [0, 1, 2, 3, 0, 1, 2, 3])
        #expect(Set(labels).count >= 3)

        let softmax = try self.stage("3.4.1", "multi_softmax.ubj", outputs: ["predicted_label"])
        let classes = try softmax.transform(try StageFixtures.frame("3.4.1", "inputs_car.csv"))
        #expect(StageFixtures.doubles(classes.column("predicted_label"))
                == (try StageFixtures.csv("3.4.1", "multi_softmax.pred.csv")).map { $0[0] })
    }

    @Test func regressionGivesPredictedScore() throws {
        let stage = try stage("3.4.1", "reg_squarederror.ubj", outputs: ["predicted_score"])
        let out = try stage.transform(try StageFixtures.frame("3.4.1", "inputs_adult.csv"))
        expectClose(StageFixtures.doubles(out.column("predicted_score")),
                    try StageFixtures.csv("3.4.1", "reg_squarederror.pred.csv").map { $0[0] }, "predicted_score")
    }
}
