import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import MLflow
import Pipeline
import Testing

/// MLflow directories explained on their signature's columns: the XGBoost
/// regressor's base + attributions add up to what mlflow.pyfunc predicted
/// (its margin is its prediction), one attribution per signature column.
@Suite struct MLflowExplanationTests {
    @Test func xgboostRegressorExplanationsAddUpToPyfunc() async throws {
        let pipeline = try PipelineLoader().load(contentsOf: MLflowFixtures.model("xgboost-regressor"))
        let inputs = try MLflowFixtures.csv("xgboost-regressor.inputs.csv")
        let expected = try MLflowFixtures.csv("xgboost-regressor.expected.csv")
        let body = inputs.rows.map { $0.joined(separator: ",") + "\n" }.joined()
        let (_, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(body.utf8), as: .csv))
        #expect(explanation.method == "tree_shap")
        #expect(explanation.columns == inputs.header)
        let sums = (0..<inputs.rows.count).map { row in
            explanation.base(row: row).reduce(0, +)
                + (0..<explanation.columns.count).map { explanation.attribution(row: row, column: $0).reduce(0, +) }.reduce(0, +)
        }
        let comparison = NumericComparison(parsing: expected.rows.map { $0[0] }, sums.map { "\($0)" },
                                           tolerance: NumericTolerance(absolute: 1e-4, relative: 1e-6), label: "sums vs pyfunc")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func sparkClassifierExplainsOnTheSignatureColumns() async throws {
        let pipeline = try PipelineLoader().load(contentsOf: MLflowFixtures.model("spark-classifier"))
        let inputs = try MLflowFixtures.csv("spark-classifier.inputs.csv")
        let body = inputs.rows.prefix(20).map { $0.joined(separator: ",") + "\n" }.joined()
        let (_, explanation) = try await pipeline.explain(try pipeline.decoder.decode(Array(body.utf8), as: .csv))
        #expect(explanation.stage == pipeline.stages.first?.name)
        #expect(Set(explanation.columns).isSubset(of: Set(inputs.header)), "\(explanation.columns)")
        #expect(explanation.rowCount == 20)
    }
}
