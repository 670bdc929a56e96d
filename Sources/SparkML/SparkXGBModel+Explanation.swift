import ConveyorCore
import XGBoost

/// A Spark model whose outputs the stage can explain.
protocol SparkExplaining: SparkTransformer {
    /// The column its predictions go to (a later IndexToString may name the classes).
    var predictionColumn: String { get }
    /// Attributions of its outputs, grouped by the columns `lineage` says
    /// each of its features comes from. `labels`: class names, when known.
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation
}

extension SparkXGBModel: SparkExplaining {
    var predictionColumn: String { columns.prediction }

    /// TreeSHAP of the booster's margins (XGBoost's `pred_contribs`): one
    /// output per margin — the positive class of a binary classifier, every
    /// class of a multi-class one, the target of a regressor.
    func explain(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        let (matrix, _, rows) = try featureMatrix(frame, stage: stage)
        let (groups, contributions): (Int, [Double])
        do {
            (groups, contributions) = try booster.explainedContributions(matrix, rows: rows)
        } catch {
            throw ConveyorError(.notExplainable, "\(metadata.className) '\(metadata.uid)': \(error.message)", stage: stage)
        }
        let outputs: [String]
        if !classifier {
            outputs = [columns.prediction.isEmpty ? "prediction" : columns.prediction]
        } else {
            // A binary classifier has one margin: the positive class's.
            let classes = groups == 1 ? [1] : Array(0..<groups)
            outputs = classes.map { index in labels.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)" }
        }
        return Explanation.grouping(stage: stage, method: booster.explanationMethod, outputs: outputs, rows: rows,
                                    contributions: contributions,
                                    origins: lineage.origins(of: columns.features, width: width))
    }
}
