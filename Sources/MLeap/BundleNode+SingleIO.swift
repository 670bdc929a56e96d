import ConveyorCore

extension BundleNode {
    /// The single input and output of a one-to-one node.
    func singleIO() throws -> (input: String, output: String) {
        guard let input = inputNames.first, let output = outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) has no input or output")
        }
        return (input, output)
    }
}
