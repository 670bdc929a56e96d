import ConveyorCore
import Operators

extension TreeModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// TreeSHAP of what shap's TreeExplainer explains for Spark's trees:
    /// each class's probability for decision trees and random forests, the
    /// margin m of a GBT classifier (its positive class: rawPrediction is
    /// [−m, m]), the prediction of a regressor.
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        let contributions = try kernel.contributions(in: frame, stage: stage)
        let outputs: [String]
        if !kernel.isClassifier {
            outputs = [columns.prediction.isEmpty ? "prediction" : columns.prediction]
        } else {
            let classes = kind == .gbtClassifier ? [1] : Array(0..<kernel.numClasses)
            outputs = classes.map { index in labels.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)" }
        }
        let space = kernel.isClassifier && kind != .gbtClassifier ? "probability" : "margin"
        return Explanation.grouping(stage: stage, method: "tree_shap", space: space, outputs: outputs, rows: frame.rowCount,
                                    contributions: contributions,
                                    origins: lineage.origins(of: columns.features, width: kernel.numFeatures))
    }
}
