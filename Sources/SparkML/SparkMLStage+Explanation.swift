import ConveyorCore
import Operators

extension SparkMLStage: ExplainableStage {
    /// Runs the Spark stages up to the first model it can explain, recording
    /// where each column comes from, then attributes the model's margins to
    /// this stage's input columns. Every stage before the model must record
    /// its lineage; the first that cannot is named.
    public func explain(_ frame: Frame, lineage start: Lineage) throws -> Explanation {
        var frame = frame
        var lineage = start
        for (index, transformer) in transformers.enumerated() {
            if let model = transformer as? any SparkExplaining {
                return try model.explain(frame, lineage: lineage, labels: classLabels(after: index, of: model),
                                         stage: name)
            }
            try traceStage(index, &frame, &lineage, doing: "explain")
        }
        throw ConveyorError(.notExplainable, "cannot explain: the Spark pipeline holds no model Conveyor explains "
            + "(\(Self.explainedModels))", stage: name)
    }

    static let explainedModels = "xgboost.spark models, Spark's decision trees, random forests and GBTs, and its "
        + "logistic and linear regressions"

    /// Runs Spark stage `index` over `frame` and records where its outputs
    /// come from, or names the stage when it cannot say.
    private func traceStage(_ index: Int, _ frame: inout Frame, _ lineage: inout Lineage, doing verb: String) throws {
        try trace(transformers[index], at: "\(index)", &frame, &lineage, doing: verb)
    }

    /// One stage, or each stage inside a composite (`at` is "2", "2.1", …).
    private func trace(_ transformer: any SparkTransformer, at position: String, _ frame: inout Frame,
                       _ lineage: inout Lineage, doing verb: String) throws {
        if let composite = transformer as? any SparkComposite {
            var inner = 0
            frame = try composite.run(frame, stage: name) { stage, frame in
                try trace(stage, at: "\(position).\(inner)", &frame, &lineage, doing: verb)
                inner += 1
            }
            return
        }
        if transformer.keepsLineage {
            frame = try transformer.transform(frame, stage: name)
            return
        }
        guard let tracer = transformer.tracer else {
            let meta = transformer.metadata
            // A classifier or regressor here is a model the stage does not explain.
            let isModel = [".classification.", ".regression."].contains { meta.className.contains($0) }
            throw ConveyorError(.notExplainable, "cannot \(verb): Spark stage \(position) (\(meta.className) '\(meta.uid)') "
                + (isModel ? "is a model Conveyor does not explain yet (it explains \(Self.explainedModels))"
                    : "does not record which input columns its outputs come from"), stage: name)
        }
        do {
            frame = try transformer.transform(frame, stage: name)
            try tracer.trace(&lineage, output: frame)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
    }

    /// Whether a Spark model the stage explains is among its stages; a
    /// pipeline of feature stages only is traced instead.
    public var explainsModel: Bool { transformers.contains { $0 is any SparkExplaining } }

    /// The class names an IndexToString after the model gives its prediction column.
    private func classLabels(after index: Int, of model: any SparkExplaining) -> [String]? {
        for transformer in transformers[(index + 1)...] {
            if let names = transformer as? IndexToString, names.input == model.predictionColumn { return names.labels }
        }
        return nil
    }
}

extension SparkMLStage: TraceableStage {
    /// Runs every Spark stage as `transform` does, recording where each
    /// column comes from; the first stage that cannot say is named.
    public func trace(_ frame: Frame, lineage: inout Lineage) throws -> Frame {
        var all = frame
        for index in transformers.indices { try traceStage(index, &all, &lineage, doing: "trace") }
        return all.pruned(toColumnsOf: frame, keeping: outputs.map(\.name))
    }
}
