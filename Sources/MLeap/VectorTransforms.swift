import ConveyorCore
import Foundation

/// Spark's PCAModel: projects x onto the principal components. The matrix
/// is [input width × k], stored column-major (Spark's `pc.toArray`).
struct PCA: NodeTransformer {
    let name: String
    let op = "pca"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let inputWidth: Int
    let k: Int
    /// Column-major: component j is components[j*inputWidth ..< (j+1)*inputWidth].
    let components: [Double]

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        components = try node.attributes.doubles("principal_components")
        // `doubles` has checked that the shape's product is the value count.
        guard let shape = node.attributes["principal_components"]?.tensorShape, shape.count == 2 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (pca): principal_components is not a matrix")
        }
        inputWidth = shape[0]
        k = shape[1]
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(k))]
    }

    var inputType: ColumnType { .vector(inputWidth) }
    var details: [Fact] { [Fact("features", "\(inputWidth)"), Fact("components", "\(k)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: inputWidth, stage: stage)
        var out = VectorBlock(width: k, rows: block.rowCount)
        for row in 0..<block.rowCount {
            for j in 0..<k {
                var sum = 0.0
                for i in 0..<inputWidth { sum += components[j * inputWidth + i] * block[row, i] }
                out[row, j] = sum
            }
        }
        try frame.put(.vectors(outputs[0].name, out))
    }
}

/// Spark's DCT: the orthonormal DCT-II (or, with `inverse`, DCT-III) of
/// the vector, as JTransforms computes it with scaling.
struct DCT: VectorMap {
    let name: String
    let op = "dct"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let width: Int
    let inverse: Bool
    /// basis[k * width + n] = s_k cos(π/N (n + ½) k).
    let basis: [Double]

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        inverse = try node.attributes.bool("inverse", default: false)
        guard let size = try node.attributes.optionalSize("input_size") ?? types.width(of: io.input), size > 0 else {
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (dct): the input width is unknown")
        }
        // The basis is size × size doubles.
        guard size <= Self.maxWidth else {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (dct): input width \(size) is over the limit of \(Self.maxWidth)")
        }
        width = size
        var basis = [Double](repeating: 0, count: size * size)
        let n = Double(size)
        for k in 0..<size {
            let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            for i in 0..<size { basis[k * size + i] = scale * Self.cosine((2 * i + 1) * k, quarter: size) }
        }
        self.basis = basis
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(size))]
    }

    static let maxWidth = 4096

    /// cos(m · π / (2N)), reduced to the first quadrant in integers so that
    /// mathematically opposite basis values are exactly opposite (equal
    /// inputs then cancel to 0, as in Spark's JTransforms DCT).
    static func cosine(_ m: Int, quarter n: Int) -> Double {
        var m = m % (4 * n)
        if m > 2 * n { m = 4 * n - m }
        var sign = 1.0
        if m > n { sign = -1; m = 2 * n - m }
        if m == n { return 0 }
        return sign * cos(Double(m) * Double.pi / Double(2 * n))
    }

    func map(_ row: inout ArraySlice<Double>) {
        let base = row.startIndex
        let x = Array(row)
        for out in 0..<width {
            var sum = 0.0
            for i in 0..<width {
                sum += inverse ? basis[i * width + out] * x[i] : basis[out * width + i] * x[i]
            }
            row[base + out] = sum
        }
    }
}

/// Spark's PolynomialExpansion: every monomial of degree 1…d, in Spark's
/// order (the recursion over the last feature first).
struct PolynomialExpansion: NodeTransformer {
    let name: String
    let op = "polynomial_expansion"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let degree: Int
    let inputWidth: Int
    let outputWidth: Int

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let io = try node.singleIO()
        degree = try node.attributes.size("degree", minimum: 1)
        guard let size = try node.attributes.optionalSize("input_size") ?? types.width(of: io.input) else {
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (polynomial_expansion): the input width is unknown")
        }
        // The expansion recurses once per input element, and its width grows as C(n + d, d).
        let monomials = Self.polySize(size, degree)
        guard size <= Self.maxInputWidth, monomials <= Double(MLeapLimits.maxWidth) else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (polynomial_expansion): \(size) inputs at degree \(degree) make \(monomials) "
                    + "monomials; the limits are \(Self.maxInputWidth) inputs and \(MLeapLimits.maxWidth) outputs")
        }
        inputWidth = size
        outputWidth = Int(monomials.rounded()) - 1
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(outputWidth))]
    }

    var inputType: ColumnType { .vector(inputWidth) }
    var details: [Fact] { [Fact("degree", "\(degree)"), Fact("width", "\(inputWidth) → \(outputWidth)")] }

    /// C(n + d, d): monomials of degree ≤ d in n variables, the constant included.
    static func polySize(_ n: Int, _ d: Int) -> Double {
        var result = 1.0
        for i in 0..<d { result = result * Double(n + d - i) / Double(i + 1) }
        return result
    }

    static let maxInputWidth = 1024

    /// Writes the monomials of x[0...last] up to `degree`, times `multiplier`,
    /// from `start`; returns the next free position.
    private func expand(_ x: ArraySlice<Double>, _ last: Int, _ degree: Int, _ multiplier: Double,
                        _ out: inout [Double], _ start: Int) -> Int {
        if multiplier != 0 {
            if degree == 0 || last < 0 {
                if start >= 0 { out[start] = multiplier }
            } else {
                let v = x[x.startIndex + last]
                var alpha = multiplier
                var cursor = start
                var power = 0
                while power <= degree && alpha != 0 {
                    cursor = expand(x, last - 1, degree - power, alpha, &out, cursor)
                    power += 1
                    alpha *= v
                }
            }
        }
        return start + Int(Self.polySize(last + 1, degree).rounded())
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: inputWidth, stage: stage)
        var out = VectorBlock(width: outputWidth, rows: block.rowCount)
        var scratch = [Double](repeating: 0, count: outputWidth)
        for row in 0..<block.rowCount {
            for i in 0..<outputWidth { scratch[i] = 0 }
            _ = expand(block.row(row), inputWidth - 1, degree, 1, &scratch, -1)
            out.storage.replaceSubrange((row * outputWidth)..<((row + 1) * outputWidth), with: scratch)
        }
        try frame.put(.vectors(outputs[0].name, out))
    }
}
