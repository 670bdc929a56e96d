import ConveyorCore
import Operators

extension TreeModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// TreeSHAP of the tree kernel (`Operators.TreeModel.explanation`).
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        try kernel.explanation(frame, lineage: lineage, labels: labels, prediction: columns.prediction, stage: stage)
    }
}
