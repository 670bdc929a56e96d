import ConveyorCore

extension MLeapStage {
    /// Bundle identity, then one fact per node: op, inputs → outputs, key sizes.
    public var facts: [Fact] {
        let nodes = transformers.map { transformer in
            let outputs = transformer.outputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            return Fact(
                transformer.name,
                "\(transformer.op): \(transformer.inputNames.joined(separator: ", ")) → \(outputs)",
                children: transformer.details)
        }
        return [
            Fact("bundle", bundleName),
            Fact("mleap version", mleapVersion),
            Fact("format", format),
            Fact("nodes", "\(transformers.count)", children: nodes),
        ]
    }

    /// The op of each node, in execution order.
    public var ops: [String] { transformers.map(\.op) }

    /// Ops Conveyor can execute.
    public static var supportedOps: [String] { (TransformerFactory.supportedOps + TransformerFactory.textOps).sorted() }
}
