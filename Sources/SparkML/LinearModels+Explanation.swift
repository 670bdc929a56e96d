import ConveyorCore
import Operators

extension LogisticRegressionModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// Each feature's share of the margins, against the all-zero input
    /// (`LinearAttribution`): class 1's margin of a binomial model, every
    /// class's of a multinomial one.
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        let (count, values) = try kernel.contributions(in: frame, stage: stage)
        let classes = kernel.multinomial ? Array(0..<count) : [1]
        let outputs = classes.map { index in labels.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)" }
        return Explanation.grouping(stage: stage, method: "linear", outputs: outputs, rows: frame.rowCount,
                                    contributions: values,
                                    origins: lineage.origins(of: columns.features, width: kernel.numFeatures))
    }
}

extension LinearRegressionModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// Each feature's share of the prediction, against the all-zero input (`LinearAttribution`).
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        Explanation.grouping(stage: stage, method: "linear",
                             outputs: [columns.prediction.isEmpty ? "prediction" : columns.prediction],
                             rows: frame.rowCount, contributions: try kernel.contributions(in: frame, stage: stage),
                             origins: lineage.origins(of: columns.features, width: kernel.coefficients.count))
    }
}
