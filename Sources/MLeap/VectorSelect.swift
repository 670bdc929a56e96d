import ConveyorCore

/// Picks elements of a vector by index: Spark's VectorSlicer (`indices`,
/// then `named_indices`, whose names were resolved when the bundle was
/// written) and ChiSqSelectorModel (`filter_indices`).
struct VectorSelect: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let indices: [Int]
    let inputWidth: Int?

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        switch node.op {
        case "vector_slicer":
            let named = attrs.has("named_indices") ? try attrs.ints("named_indices") : []
            indices = try attrs.ints("indices") + named
        default:
            indices = try attrs.ints("filter_indices")
        }
        let width = try attrs.optionalSize("input_size") ?? types.width(of: io.input)
        if let bad = indices.first(where: { $0 < 0 || $0 >= (width ?? MLeapLimits.maxWidth) }) {
            throw ConveyorError(
                .modelCorrupt, "MLeap node '\(node.name)' (\(node.op)): index \(bad) is outside the input width \(width ?? 0)")
        }
        inputWidth = width
        name = node.name
        op = node.op
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(indices.count))]
    }

    var inputType: ColumnType { .vector(inputWidth) }
    var details: [Fact] { [Fact("indices", indices.map(String.init).joined(separator: ", "))] }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: inputWidth, stage: stage)
        if let largest = indices.max(), largest >= block.width, block.rowCount > 0 {
            throw ConveyorError(
                .invalidInput, "\(op) needs index \(largest) but the vector has width \(block.width)",
                stage: stage, column: inputNames[0])
        }
        var out = VectorBlock(width: indices.count, rows: block.rowCount)
        for row in 0..<block.rowCount {
            for (slot, index) in indices.enumerated() { out[row, slot] = block[row, index] }
        }
        try frame.put(.vectors(outputs[0].name, out))
    }
}

/// Spark's ElementwiseProduct: x ⊙ scaling_vec.
struct ElementwiseProduct: VectorMap {
    let name: String
    let op = "elementwise_product"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let scale: [Double]

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        scale = try node.attributes.doubles("scaling_vec")
        width = scale.count
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    func map(_ row: inout ArraySlice<Double>) {
        let base = row.startIndex
        for i in 0..<width { row[base + i] *= scale[i] }
    }
}
