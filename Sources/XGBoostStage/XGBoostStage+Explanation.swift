import ConveyorCore
import XGBoost

extension XGBoostStage: ExplainableStage {
    /// TreeSHAP of the booster's margins (XGBoost's `pred_contribs`), each
    /// feature of the input vector attributed to the columns `lineage` says
    /// it comes from. Outputs: the class indices of a multi-class model,
    /// else one margin named as the stage's score column.
    public func explain(_ frame: Frame, lineage: Lineage) throws -> Explanation {
        let features = try featureMatrix(frame)
        let (groups, contributions): (Int, [Double])
        do {
            (groups, contributions) = try booster.explainedContributions(features, rows: frame.rowCount)
        } catch {
            throw ConveyorError(.notExplainable, "XGBoost model \(modelURL.lastPathComponent): \(error.message)", stage: name)
        }
        let outputs = groups == 1 ? [OutputSelection.scoreColumn] : (0..<groups).map { "\($0)" }
        return Explanation.grouping(stage: name, method: booster.explanationMethod, outputs: outputs, rows: frame.rowCount,
                                    contributions: contributions,
                                    origins: lineage.origins(of: input, width: model.numFeature))
    }
}
