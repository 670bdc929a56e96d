import ConveyorCore

/// Spark's VectorAssembler: concatenates numeric scalars and vectors.
/// NaN passes through (MLeap does not check); a null is refused, since
/// MLeap's runtime cannot place a missing value in a dense vector.
struct VectorAssembler: NodeTransformer {
    let name: String
    let op = "vector_assembler"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    /// Width of each input: 1 for a scalar; nil if unknown until data.
    let widths: [Int?]

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        name = node.name
        inputNames = node.inputNames
        guard let output = node.outputNames.first, !inputNames.isEmpty else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (vector_assembler) has no inputs or output")
        }
        let shapes = node.attributes["input_shapes"]?.raw["data_shape"]?.array
        widths = try inputNames.enumerated().map { index, input in
            if let known = types.width(of: input) { return known }
            guard let shape = shapes?[safe: index] else { return nil }
            if shape["base"]?.string == "scalar" { return 1 }
            guard let size = shape["tensorShape"]?["dimensions"]?.array?.first?["size"]?.double else { return nil }
            // Bounded here so the sum below cannot overflow; the total is bounded with the outputs.
            guard let width = Int(exactly: size), width >= 0, width <= MLeapLimits.maxWidth else {
                throw ConveyorError(
                    .modelCorrupt, "MLeap node '\(node.name)' (vector_assembler): input '\(input)' has width \(size)")
            }
            return width
        }
        let total = widths.contains { $0 == nil } ? nil : widths.reduce(0) { $0 + ($1 ?? 0) }
        outputs = [ColumnSpec(output, .vector(total))]
    }

    var details: [Fact] {
        [Fact("width", outputs[0].type.vectorWidth.map(String.init) ?? "known at run time")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let blocks = try zip(inputNames, widths).map { input, width in
            let column = try frame.require(input, stage: stage)
            if let nulls = column.nulls, let row = nulls.firstIndex(of: true) {
                throw invalid(
                    "null value in column '\(input)' cannot be assembled into a vector", frame, row: row,
                    column: input, stage: stage)
            }
            return try Inputs.block(frame, input, width: width, stage: stage)
        }
        let width = blocks.reduce(0) { $0 + $1.width }
        let rows = frame.rowCount
        // Each input's rows copied straight into their place in the output
        // (one per-row `append(contentsOf:)` per input was 3 % of a transform).
        let storage = [Double](unsafeUninitializedCapacity: width * rows) { buffer, count in
            var offset = 0
            for block in blocks where block.width > 0 && rows > 0 {
                precondition(block.storage.count >= rows * block.width)
                block.storage.withUnsafeBufferPointer { source in
                    // Both are non-empty here (width and rows are positive).
                    guard let target = buffer.baseAddress, let from = source.baseAddress else { return }
                    for row in 0..<rows {
                        (target + row * width + offset).initialize(from: from + row * block.width, count: block.width)
                    }
                }
                offset += block.width
            }
            count = width * rows
        }
        try frame.put(.vectors(outputs[0].name, VectorBlock(width: width, storage: storage)))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
