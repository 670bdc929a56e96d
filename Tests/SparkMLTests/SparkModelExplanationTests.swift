import ConveyorCore
import ConveyorTestSupport
import Foundation
import SparkML
import Testing

/// Spark's decision trees, random forests and GBTs (classifier and
/// regressor, saved by PySpark 4.3) explained on their feature vectors,
/// against shap's TreeExplainer on the same Spark models
/// (Tests/Fixtures/spark-tree-shap, training/spark_tree_shap.py): per
/// class probability for trees and forests, the margin for GBT classifiers,
/// the prediction for regressors.
@Suite struct SparkModelExplanationTests {
    struct Expected: Decodable {
        struct Model: Decodable {
            let features: [[Double]]
            let outputs: Int
            let expected_value: [Double]
            /// rows × outputs × features
            let shap: [[[Double]]]
        }

        let models: [String: Model]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let directory = fixtures.appendingPathComponent("spark-tree-shap")

    static let names = ["decision_tree_classifier", "random_forest_classifier", "gbt_classifier",
                        "decision_tree_regressor", "random_forest_regressor", "gbt_regressor"]

    @Test(arguments: names)
    func explanationsEqualShap(_ name: String) throws {
        let explanation = try Self.compare(Self.directory, name)
        #expect(explanation.method == "tree_shap")
        #expect(explanation.space == (name.hasSuffix("tree_classifier") || name.hasPrefix("random_forest_classifier") ? "probability" : "margin"))
        if name == "gbt_classifier" { #expect(explanation.outputs == ["1"]) }
    }

    /// Spark's logistic (binomial, multinomial) and linear regressions
    /// against shap's LinearExplainer with an all-zero background, from
    /// PySpark's own coefficients (Tests/Fixtures/spark-linear-shap,
    /// training/spark_linear_shap.py).
    @Test(arguments: ["logistic_binomial", "logistic_multinomial", "linear_regression"])
    func linearExplanationsEqualShap(_ name: String) throws {
        let explanation = try Self.compare(Self.fixtures.appendingPathComponent("spark-linear-shap"), name)
        #expect(explanation.method == "linear" && explanation.space == "margin")
        #expect(explanation.outputs == (name == "logistic_multinomial" ? (0..<7).map { "\($0)" } : name == "logistic_binomial" ? ["1"] : ["prediction"]))
    }

    @Test func linearExplanationsRefuseMissingFeatures() throws {
        let directory = Self.fixtures.appendingPathComponent("spark-linear-shap/logistic_binomial")
        let stage = try SparkMLStage(name: "lr", modelURL: directory, schema: nil)
        let row: [Double] = [39, 77516, 13, .nan, 0, 40]
        let frame = try Frame(columns: [Column(name: "features", type: .vector(6),
                                               values: .vector(VectorBlock(width: 6, storage: [1, 2, 3, 4, 5, 6] + row)))])
        let error = #expect(throws: ConveyorError.self) { try stage.explain(frame, lineage: Lineage()) }
        #expect(error?.row == 1 && error?.stage == "lr" && error?.column == "features")
        #expect(error?.message.contains("feature 3 is missing") == true, "\(String(describing: error))")
    }

    /// Explains the fixture's rows with the saved model and compares every
    /// value and base with shap's.
    static func compare(_ directory: URL, _ name: String) throws -> Explanation {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let model = try #require(expected.models[name])
        let stage = try SparkMLStage(name: name, modelURL: directory.appendingPathComponent(name), schema: nil)
        let width = try #require(model.features.first?.count)
        let rows = model.features.count
        #expect(rows == 200)
        let frame = try Frame(columns: [Column(name: "features", type: .vector(width),
                                               values: .vector(VectorBlock(width: width, storage: model.features.flatMap { $0 })))])
        let explanation = try stage.explain(frame, lineage: Lineage())
        #expect(explanation.columns == (0..<width).map { "features[\($0)]" })
        #expect(explanation.outputs.count == model.outputs)
        var got: [Double] = []
        var want: [Double] = []
        for row in 0..<rows {
            let base = Array(explanation.base(row: row))
            for output in 0..<model.outputs {
                for column in 0..<width {
                    got.append(Array(explanation.attribution(row: row, column: column))[output])
                    want.append(model.shap[row][output][column])
                }
                got.append(base[output])
                want.append(model.expected_value[output])
            }
        }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-12, relative: 1e-9),
                                           columns: width + 1, label: "\(name) vs shap")
        #expect(comparison.matches, "\(comparison)")
        return explanation
    }
}
