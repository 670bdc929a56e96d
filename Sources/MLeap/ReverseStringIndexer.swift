import ConveyorCore

/// Spark's IndexToString: index → label.
struct ReverseStringIndexer: NodeTransformer {
    let name: String
    let op = "reverse_string_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let labels: [String]

    init(_ node: BundleNode) throws {
        guard let input = node.inputNames.first, let output = node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (reverse_string_indexer) has no input/output")
        }
        name = node.name
        labels = try node.attributes.strings("labels")
        inputNames = [input]
        outputs = [ColumnSpec(output, .string)]
    }

    var details: [Fact] { [Fact("labels", "\(labels.count)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let input = inputNames[0]
        let values = try Inputs.doubles(frame, input, stage: stage)
        var out = [String](repeating: "", count: values.count)
        for row in 0..<values.count {
            let value = values[row]
            guard value >= 0, value < Double(labels.count), value == value.rounded() else {
                throw invalid(
                    "index \(value) is not a label index (0..<\(labels.count))", frame, row: row,
                    column: input, stage: stage)
            }
            out[row] = labels[Int(value)]
        }
        try frame.put(.strings(outputs[0].name, out))
    }
}
