import ConveyorCore

/// Spark's Interaction: the tensor product of its inputs. Each input is
/// encoded element by element — `num_featuresN[k] == 1` keeps the numeric
/// value, a larger count one-hot encodes a category index — and the
/// output index is row-major over the inputs (the first input varies slowest).
/// Spark skips inactive entries of sparse vectors; Conveyor's vectors are
/// dense, so a numeric 0 is always multiplied (0 × ∞ = NaN), as Spark does
/// for dense vectors and scalars.
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
        encodings = try (0..<count).map { index in try node.attributes.ints("num_features\(index)") }
        guard encodings.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 1 && $0 <= MLeapLimits.maxWidth } }) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (interaction): bad num_features")
        }
        // At most 2^24 each, fewer than 2^28 of them (model.json is capped): the sums cannot overflow.
        encodedWidths = encodings.map { $0.reduce(0, +) }
        let width = try MLeapLimits.product(encodedWidths, "encoded widths", node: node.name, op: "interaction")
        name = node.name
        inputNames = node.inputNames
        outputs = [ColumnSpec(output, .vector(width))]
    }

    var details: [Fact] { [Fact("width", "\(outputs[0].type.vectorWidth ?? 0)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let blocks = try zip(inputNames, encodings).map { name, encoding in
            try Inputs.block(frame, name, width: encoding.count, stage: stage)
        }
        let width = outputs[0].type.vectorWidth ?? 0
        var out = VectorBlock(width: width, rows: frame.rowCount)
        for row in 0..<frame.rowCount {
            // As Spark: from the last input to the first, multiplying each active encoded value into
            // the products so far (so 0 × ∞ is NaN for numeric values, as Spark computes it for dense
            // vectors and scalars); a one-hot slot that is not the category is never multiplied.
            var product: [Double] = [1.0]
            var active: [Bool] = [true]
            for index in blocks.indices.reversed() {
                let encoded = try encode(
                    blocks[index].row(row), encodings[index], frame: frame, row: row, column: inputNames[index],
                    stage: stage)
                var next = [Double](repeating: 0, count: product.count * encoded.count)
                var nextActive = [Bool](repeating: false, count: next.count)
                for (i, e) in encoded.enumerated() where e.active {
                    for j in product.indices where active[j] {
                        next[i * product.count + j] = product[j] * e.value
                        nextActive[i * product.count + j] = true
                    }
                }
                product = next
                active = nextActive
            }
            out.storage.replaceSubrange((row * width)..<((row + 1) * width), with: product)
        }
        try frame.put(.vectors(outputs[0].name, out))
    }

    /// One input's encoded values; a one-hot slot other than the category is inactive.
    private func encode(_ values: ArraySlice<Double>, _ encoding: [Int], frame: Frame, row: Int, column: String,
                        stage: String) throws -> [(value: Double, active: Bool)] {
        var encoded: [(value: Double, active: Bool)] = []
        for (value, size) in zip(values, encoding) {
            if size == 1 {
                encoded.append((value, true))
                continue
            }
            guard value >= 0, value < Double(size), value == value.rounded() else {
                throw invalid("category index \(value) is outside 0..<\(size)", frame, row: row, column: column, stage: stage)
            }
            for slot in 0..<size { encoded.append(slot == Int(value) ? (1, true) : (0, false)) }
        }
        return encoded
    }
}
