import ConveyorCore

extension Pipeline {
    /// Runs the pipeline over `frame` and explains it: the predictions (as
    /// `run` returns them) and, row for row, the model's attributions on the
    /// caller's input columns. The first explainable stage is the model;
    /// every stage before it must trace where its outputs come from.
    public func explain(_ frame: Frame) async throws -> (predictions: Frame, explanation: Explanation) {
        let plan = try explanationPlan.get()
        let index = plan.modelIndex, model = plan.model
        guard frame.rowCount > 0 else { throw ConveyorError(.emptyInput, "the request has no rows") }
        // One pass: the stages before the model trace as they transform (or
        // only transform, when a frame of this shape was traced before), the
        // model explains and predicts, the stages after it run as usual.
        let shape = LineageCache.Shape(frame)
        let known = plan.lineages.lineage(for: shape)
        var lineage = known ?? Lineage()
        var current = frame
        for traced in plan.traced {
            do {
                if known == nil {
                    current = try await traced.trace(current, lineage: &lineage)
                } else {
                    current = try await traced.transform(current)
                }
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: traced.name)
            }
        }
        if known == nil { plan.lineages.store(lineage, for: shape) }
        var explanation: Explanation
        do {
            explanation = try await model.explain(current, lineage: lineage)
        } catch {
            throw ConveyorError.wrap(error, code: .stageFailed, stage: model.name)
        }
        let explained = explanation.outputs
        if explained == explained.indices.map({ "\($0)" }),
           let names = plan.classNames.first(where: { $0.count >= explained.count }) {
            explanation.outputs = Array(names.prefix(explained.count))
        }
        for stage in stages[index...] {
            do {
                current = try await stage.transform(current)
            } catch {
                throw ConveyorError.wrap(error, code: .stageFailed, stage: stage.name)
            }
        }
        let predictions = try current.selecting(outputKeys)
        // Stages may drop rows (handleInvalid=skip): then rows would not pair.
        guard explanation.rowCount == predictions.rowCount else {
            throw ConveyorError(.notExplainable, "\(predictions.rowCount) predictions for \(explanation.rowCount) explained "
                + "rows: a stage dropped rows (handleInvalid=skip)", stage: model.name)
        }
        return (predictions, explanation)
    }
}

/// What explaining a pipeline needs from its stages, found once when it is
/// loaded rather than by casting every stage on every request.
struct ExplanationPlan: Sendable {
    let modelIndex: Int
    let model: any ExplainableStage
    /// The stages before the model, each able to trace.
    let traced: [any TraceableStage]
    /// Names for outputs that are class indices ("0", "1", …), in the order
    /// the later stages give them: the first with a name for every output is
    /// used.
    let classNames: [[String]]
    /// The lineage traced per input shape.
    let lineages = LineageCache()

    /// The plan, or why the pipeline cannot be explained (thrown per request).
    static func make(_ stages: [any Stage]) -> Result<ExplanationPlan, ConveyorError> {
        guard let index = stages.firstIndex(where: { ($0 as? any ExplainableStage)?.explainsModel == true }),
              let model = stages[index] as? any ExplainableStage else {
            let kinds = stages.map { "'\($0.name)' (\($0.kind))" }.joined(separator: ", ")
            return .failure(ConveyorError(.notExplainable, "no stage of this pipeline can explain its predictions: \(kinds); "
                + "explanations cover XGBoost and LightGBM models, and Spark ML pipelines holding an xgboost.spark "
                + "model, a decision tree, random forest or GBT, or a logistic or linear regression"))
        }
        var traced: [any TraceableStage] = []
        for stage in stages[..<index] {
            guard let tracing = stage as? any TraceableStage else {
                return .failure(ConveyorError(.notExplainable, "cannot explain through stage '\(stage.name)' (\(stage.kind)), "
                    + "which runs before the model stage '\(model.name)' and does not trace where its outputs come from",
                    stage: stage.name))
            }
            traced.append(tracing)
        }
        var names: [[String]] = []
        for stage in stages[(index + 1)...] {
            guard let naming = stage as? any ClassNamingStage else { continue }
            names += model.outputs.compactMap { naming.classNames(ofIndexColumn: $0.name) }
        }
        return .success(ExplanationPlan(modelIndex: index, model: model, traced: traced, classNames: names))
    }
}
