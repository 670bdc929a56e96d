import ConveyorCore

extension MLeapStage: TraceableStage {
    /// Runs every node as `transform` does, recording where each column
    /// comes from; the first node that cannot say is named.
    public func trace(_ frame: Frame, lineage: inout Lineage) throws -> Frame {
        var all = frame
        for transformer in transformers { try traceNode(transformer, &all, &lineage) }
        return all.pruned(toColumnsOf: frame, keeping: outputs.map(\.name))
    }

    /// Runs one node over `frame` and records where its outputs come from,
    /// or names the node when it cannot say.
    func traceNode(_ transformer: any NodeTransformer, _ frame: inout Frame, _ lineage: inout Lineage) throws {
        guard let tracer = transformer.tracer else {
            throw ConveyorError(.notExplainable, "cannot trace: MLeap node '\(transformer.name)' (\(transformer.op)) "
                + "does not record which input columns its outputs come from", stage: name)
        }
        do {
            try transformer.apply(to: &frame, stage: name)
            try tracer.trace(&lineage, output: frame)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
    }
}

extension MLeapStage: ClassNamingStage {
    public func classNames(ofIndexColumn column: String) -> [String]? {
        transformers.lazy.compactMap(\.classNamer).first { $0.input == column }?.labels
    }
}
