import ConveyorCore

extension Pipeline {
    /// Runs the pipeline over `frame` and explains it: the predictions (as
    /// `run` returns them) and, row for row, the model's attributions on the
    /// caller's input columns. The first explainable stage is the model;
    /// every stage before it must trace where its outputs come from.
    public func explain(_ frame: Frame) async throws -> (predictions: Frame, explanation: Explanation) {
        guard let index = stages.firstIndex(where: { ($0 as? any ExplainableStage)?.explainsModel == true }),
              let model = stages[index] as? any ExplainableStage else {
            let kinds = stages.map { "'\($0.name)' (\($0.kind))" }.joined(separator: ", ")
            throw ConveyorError(.notExplainable, "no stage of this pipeline can explain its predictions: \(kinds); "
                + "explanations cover XGBoost and LightGBM models, and Spark ML pipelines holding an xgboost.spark "
                + "model, a decision tree, random forest or GBT, or a logistic or linear regression")
        }
        guard frame.rowCount > 0 else { throw ConveyorError(.emptyInput, "the request has no rows") }
        // One pass: the stages before the model trace as they transform,
        // the model explains and predicts, the stages after it run as usual.
        var lineage = Lineage()
        var current = frame
        for stage in stages[..<index] {
            guard let traced = stage as? any TraceableStage else {
                throw ConveyorError(.notExplainable, "cannot explain through stage '\(stage.name)' (\(stage.kind)), which "
                    + "runs before the model stage '\(model.name)' and does not trace where its outputs come from",
                    stage: stage.name)
            }
            do {
                current = try await traced.trace(current, lineage: &lineage)
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: stage.name)
            }
        }
        var explanation: Explanation
        do {
            explanation = try await model.explain(current, lineage: lineage)
        } catch {
            throw ConveyorError.wrap(error, code: .stageFailed, stage: model.name)
        }
        if let names = classNames(after: index, of: model, outputs: explanation.outputs) { explanation.outputs = names }
        for stage in stages[index...] {
            do {
                current = try await stage.transform(current)
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: stage.name)
            }
        }
        let predictions = try current.selecting(outputs.map(\.name))
        // Stages may drop rows (handleInvalid=skip): then rows would not pair.
        guard explanation.rowCount == predictions.rowCount else {
            throw ConveyorError(.notExplainable, "\(predictions.rowCount) predictions for \(explanation.rowCount) explained "
                + "rows: a stage dropped rows (handleInvalid=skip)", stage: model.name)
        }
        return (predictions, explanation)
    }

    /// Names for outputs that are class indices ("0", "1", …): from a later
    /// stage that turns one of the model stage's output columns into class
    /// names, when it names at least as many classes.
    private func classNames(after index: Int, of model: any Stage, outputs: [String]) -> [String]? {
        guard outputs == outputs.indices.map({ "\($0)" }) else { return nil }
        for stage in stages[(index + 1)...] {
            guard let naming = stage as? any ClassNamingStage else { continue }
            for column in model.outputs {
                if let names = naming.classNames(ofIndexColumn: column.name), names.count >= outputs.count {
                    return Array(names.prefix(outputs.count))
                }
            }
        }
        return nil
    }
}
