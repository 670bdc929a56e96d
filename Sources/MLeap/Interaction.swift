import ConveyorCore

/// Spark's Interaction: the tensor product of its inputs. Each input is
/// encoded element by element — `num_featuresN[k] == 1` keeps the numeric
/// value, a larger count one-hot encodes a category index — and the
/// output index is row-major over the inputs (the first input varies slowest).
struct Interaction: NodeTransformer {
    let name: String
    let op = "interaction"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    /// Per input, per element: 1 for numeric, else the category count.
    let encodings: [[Int]]
    let encodedWidths: [Int]

    init(_ node: BundleNode) throws {
        let count = node.inputs.count
        guard count > 0, let output = node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction) has no inputs or no output")
        }
        encodings = try (0..<count).map { index in
            try node.attributes.doubles("num_features\(index)").map { Int($0) }
        }
        guard encodings.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 1 } }) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction): bad num_features")
        }
        encodedWidths = encodings.map { $0.reduce(0, +) }
        name = node.name
        inputNames = node.inputNames
        outputs = [ColumnSpec(output, .vector(encodedWidths.reduce(1, *)))]
    }

    var details: [Fact] { [Fact("width", "\(outputs[0].type.vectorWidth ?? 0)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let blocks = try zip(inputNames, encodings).map { name, encoding in
            try Inputs.block(frame, name, width: encoding.count, stage: stage)
        }
        let width = encodedWidths.reduce(1, *)
        var out = VectorBlock(width: width, rows: frame.rowCount)
        for row in 0..<frame.rowCount {
            var product = [1.0]
            for (index, block) in blocks.enumerated() {
                let encoded = try encode(block.row(row), encodings[index], frame: frame, row: row, column: inputNames[index], stage: stage)
                var next = [Double](repeating: 0, count: product.count * encoded.count)
                for (i, p) in product.enumerated() where p != 0 {
                    for (j, e) in encoded.enumerated() { next[i * encoded.count + j] = p * e }
                }
                product = next
            }
            out.storage.replaceSubrange((row * width)..<((row + 1) * width), with: product)
        }
        try frame.put(.vectors(outputs[0].name, out))
    }

    private func encode(_ values: ArraySlice<Double>, _ encoding: [Int], frame: Frame, row: Int, column: String,
                        stage: String) throws -> [Double] {
        var encoded: [Double] = []
        for (value, size) in zip(values, encoding) {
            if size == 1 {
                encoded.append(value)
                continue
            }
            var slots = [Double](repeating: 0, count: size)
            guard value >= 0, value < Double(size), value == value.rounded() else {
                throw invalid("category index \(value) is outside 0..<\(size)", frame, row: row, column: column, stage: stage)
            }
            slots[Int(value)] = 1
            encoded += slots
        }
        return encoded
    }
}
