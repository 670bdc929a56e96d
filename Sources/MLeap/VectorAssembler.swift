import ConveyorCore
import Operators

/// Reads a vector_assembler node. Input widths come from the columns built
/// so far, else from `input_shapes`. MLeap's runtime passes NaN through and
/// cannot place a null in a dense vector, so nulls are refused.
struct VectorAssembler: NodeTransformer {
    let name: String
    let op = "vector_assembler"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.VectorAssembler

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        name = node.name
        inputNames = node.inputNames
        guard let output = node.outputNames.first, !inputNames.isEmpty else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (vector_assembler) has no inputs or output")
        }
        let shapes = node.attributes["input_shapes"]?.raw["data_shape"]?.array
        let widths: [Int?] = try inputNames.enumerated().map { index, input in
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
        kernel = Operators.VectorAssembler(inputs: inputNames, output: output, widths: widths, onNull: .error, onNaN: .keep)
    }

    var details: [Fact] {
        [Fact("width", outputs[0].type.vectorWidth.map(String.init) ?? "known at run time")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
