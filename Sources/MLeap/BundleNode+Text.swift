import ConveyorCore

/// Text ops with one input column and one output column.
extension BundleNode {
    /// The `input` and `output` sockets of a one-in, one-out text node.
    func textIO() throws -> (input: String, output: String) {
        guard let input = input(port: "input") ?? inputs.first?.name,
              let output = output(port: "output") ?? outputs.first?.name
        else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) needs an input and an output column")
        }
        return (input, output)
    }
}
