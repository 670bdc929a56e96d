import ConveyorCore
import Operators

/// Reads a pca node (`principal_components`, [input width × k]) into the PCA kernel.
struct PCA: NodeTransformer {
    let name: String
    let op = "pca"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.PCA

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let components = try node.attributes.doubles("principal_components")
        // `doubles` has checked that the shape's product is the value count.
        guard let shape = node.attributes["principal_components"]?.tensorShape, shape.count == 2,
              let kernel = Operators.PCA(input: io.input, output: io.output, inputWidth: shape[0], k: shape[1],
                                         components: components) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (pca): principal_components is not a matrix")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.k))]
    }

    var inputType: ColumnType { .vector(kernel.inputWidth) }
    var details: [Fact] { [Fact("features", "\(kernel.inputWidth)"), Fact("components", "\(kernel.k)")] }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}

/// Reads a dct node (`inverse`; the width from `input_size` or the input
/// column) into the DCT kernel.
struct DCT: NodeTransformer {
    let name: String
    let op = "dct"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.DCT

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        let inverse = try node.attributes.bool("inverse", default: false)
        guard let size = try node.attributes.optionalSize("input_size") ?? types.width(of: io.input), size > 0 else {
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (dct): the input width is unknown")
        }
        guard let kernel = Operators.DCT(input: io.input, output: io.output, width: size, inverse: inverse) else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (dct): input width \(size) is over the limit of \(Operators.DCT.maxWidth)")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(size))]
    }

    var inputType: ColumnType { .vector(kernel.width) }
    var details: [Fact] { [Fact("width", "\(kernel.width)")] }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}

/// Reads a polynomial_expansion node (`degree`; the width from `input_size`
/// or the input column) into the PolynomialExpansion kernel.
struct PolynomialExpansion: NodeTransformer {
    let name: String
    let op = "polynomial_expansion"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.PolynomialExpansion

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        let degree = try node.attributes.size("degree", minimum: 1)
        guard let size = try node.attributes.optionalSize("input_size") ?? types.width(of: io.input) else {
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (polynomial_expansion): the input width is unknown")
        }
        guard let kernel = Operators.PolynomialExpansion(input: io.input, output: io.output, degree: degree, inputWidth: size,
                                                         maxOutputWidth: MLeapLimits.maxWidth - 1) else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (polynomial_expansion): \(size) inputs at degree \(degree) make "
                    + "\(Operators.PolynomialExpansion.polySize(size, degree)) monomials; the limits are "
                    + "\(Operators.PolynomialExpansion.maxInputWidth) inputs and \(MLeapLimits.maxWidth) outputs")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(kernel.outputWidth))]
    }

    var inputType: ColumnType { .vector(kernel.inputWidth) }
    var details: [Fact] {
        [Fact("degree", "\(kernel.degree)"), Fact("width", "\(kernel.inputWidth) → \(kernel.outputWidth)")]
    }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
