import ConveyorCore
import LightGBM

extension LightGBMStage: ExplainableStage {
    /// TreeSHAP of the model's raw scores (LightGBM's `pred_contrib`), each
    /// feature of the input vector attributed to the columns `lineage` says
    /// it comes from. Outputs: the class indices of a multi-class model,
    /// else one raw score named as the stage's score column.
    public func explain(_ frame: Frame, lineage: Lineage) throws -> Explanation {
        let features = try featureMatrix(frame)
        let contributions: [Double]
        do {
            contributions = try model.contributions(features, rows: frame.rowCount)
        } catch {
            throw ConveyorError(.notExplainable, error.message, stage: name)
        }
        let outputs = model.outputs == 1 ? [LightGBMOutput.scoreColumn] : (0..<model.outputs).map { "\($0)" }
        return Explanation.grouping(stage: name, method: "tree_shap", outputs: outputs, rows: frame.rowCount,
                                    contributions: contributions,
                                    origins: lineage.origins(of: input, width: model.numFeature))
    }
}
