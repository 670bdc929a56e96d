import ConveyorCore

extension MLflowStage: ExplainableStage {
    /// Whether the flavour's own stage explains its model.
    public var explainsModel: Bool { (inner as? any ExplainableStage)?.explainsModel ?? false }

    /// The flavour's own stage explains; for tree flavours each slot of the
    /// assembled vector goes to the signature column it was taken from.
    public func explain(_ frame: Frame, lineage: Lineage) async throws -> Explanation {
        guard let model = inner as? any ExplainableStage, model.explainsModel else {
            throw ConveyorError(.notExplainable, "the MLflow \(self.model.flavour.name) model's \(inner.kind) stage "
                + "cannot explain its predictions", stage: name)
        }
        var work = frame
        var traced = lineage
        if let assembledInput {
            try work.put(try assemble(frame, into: assembledInput))
            var slots: [Set<String>] = []
            for spec in inputs {
                slots += traced.origins(of: spec.name, width: spec.type.vectorWidth ?? 1)
            }
            traced.derive(assembledInput, slots: slots)
        }
        var explanation: Explanation
        do {
            explanation = try await model.explain(work, lineage: traced)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
        explanation.stage = name
        return explanation
    }
}
