import ConveyorCore

/// A node that maps one vector column to another of the same width,
/// element by element.
protocol VectorMap: NodeTransformer {
    var width: Int { get }
    /// Maps one row in place.
    func map(_ row: inout ArraySlice<Double>)
}

extension VectorMap {
    var details: [Fact] { [Fact("width", "\(width)")] }
    var inputType: ColumnType { .vector(width) }

    func apply(to frame: inout Frame, stage: String) throws {
        var block = try Inputs.block(frame, inputNames[0], width: width, stage: stage)
        for row in 0..<block.rowCount {
            let range = (row * width)..<((row + 1) * width)
            map(&block.storage[range])
        }
        try frame.put(.vectors(outputs[0].name, block))
    }
}

extension BundleNode {
    /// The single input and output of a one-to-one node.
    func singleIO() throws -> (input: String, output: String) {
        guard let input = inputNames.first, let output = outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)) has no input or output")
        }
        return (input, output)
    }
}
