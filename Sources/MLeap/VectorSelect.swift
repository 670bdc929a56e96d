import ConveyorCore
import Operators

/// Reads vector_slicer (`indices`, then `named_indices`, whose names were
/// resolved when the bundle was written) and chi_sq_selector
/// (`filter_indices`) nodes into the VectorSelect kernel.
struct VectorSelect: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.VectorSelect

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        let indices: [Int]
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
        kernel = Operators.VectorSelect(input: io.input, output: io.output, indices: indices, inputWidth: width)
        name = node.name
        op = node.op
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(indices.count))]
    }

    var inputType: ColumnType { .vector(kernel.inputWidth) }
    var details: [Fact] { [Fact("indices", kernel.indices.map(String.init).joined(separator: ", "))] }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}

/// Reads an elementwise_product node (`scaling_vec`) into the ElementwiseProduct kernel.
struct ElementwiseProduct: NodeTransformer {
    let name: String
    let op = "elementwise_product"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.ElementwiseProduct

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        kernel = Operators.ElementwiseProduct(input: io.input, output: io.output,
                                              scale: try node.attributes.doubles("scaling_vec"))
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.scale.count))]
    }

    var inputType: ColumnType { .vector(kernel.scale.count) }
    var details: [Fact] { [Fact("width", "\(kernel.scale.count)")] }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
