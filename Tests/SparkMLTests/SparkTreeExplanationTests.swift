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
@Suite struct SparkTreeExplanationTests {
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

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/spark-tree-shap")

    static let names = ["decision_tree_classifier", "random_forest_classifier", "gbt_classifier",
                        "decision_tree_regressor", "random_forest_regressor", "gbt_regressor"]

    @Test(arguments: names)
    func explanationsEqualShap(_ name: String) throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.directory.appendingPathComponent("expected.json")))
        let model = try #require(expected.models[name])
        let stage = try SparkMLStage(name: name, modelURL: Self.directory.appendingPathComponent(name), schema: nil)
        let width = try #require(model.features.first?.count)
        let rows = model.features.count
        #expect(rows == 200)
        let frame = try Frame(columns: [Column(name: "features", type: .vector(width),
                                               values: .vector(VectorBlock(width: width, storage: model.features.flatMap { $0 })))])
        let explanation = try stage.explain(frame, lineage: Lineage())
        #expect(explanation.method == "tree_shap")
        #expect(explanation.columns == (0..<width).map { "features[\($0)]" })
        #expect(explanation.outputs.count == model.outputs)
        if name == "gbt_classifier" { #expect(explanation.outputs == ["1"]) }
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
    }
}
