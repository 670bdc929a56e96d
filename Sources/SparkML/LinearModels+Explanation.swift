import ConveyorCore
import Operators

extension LogisticRegressionModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// Each feature's share of the margins, against the all-zero input (`LinearAttribution`).
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        try kernel.explanation(frame, lineage: lineage, labels: labels, stage: stage)
    }
}

extension LinearRegressionModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// Each feature's share of the prediction, against the all-zero input (`LinearAttribution`).
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        try kernel.explanation(frame, lineage: lineage, stage: stage)
    }
}
