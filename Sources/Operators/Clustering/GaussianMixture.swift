import ConveyorCore
import Foundation

/// Spark's GaussianMixtureModel: probability_i ∝ ε + weight_i · pdf_i(x)
/// (ε = 2⁻⁵², Spark's MLUtils.EPSILON), prediction = its argmax (an int
/// column). Each pdf is Spark's MultivariateGaussian: the covariance's
/// pseudo-inverse and pseudo-determinant from its eigenvalues above
/// ε · max · n. A null vector is refused, as Spark's UDF fails on it.
public struct GaussianMixture: Kernel {
    struct Component: Sendable {
        let mean: [Double]
        /// Row-major n × n: diag(1/√λ) Uᵀ over the eigenvalues kept.
        let rootSigmaInverse: [Double]
        let constant: Double
    }

    public let features: String
    public let prediction: String?
    public let probability: String?
    public let weights: [Double]
    public let numFeatures: Int
    let components: [Component]

    /// Most features a covariance may have: its eigenvectors are found at load
    /// in O(n³) per sweep (Spark itself allows 4,096).
    public static let maxFeatures = 512

    /// `covariances` are row-major n × n. Nil when the shapes disagree.
    public init?(features: String, prediction: String?, probability: String?, weights: [Double], means: [[Double]],
                 covariances: [[Double]]) {
        guard let n = means.first?.count, n > 0, n <= Self.maxFeatures, !weights.isEmpty, means.count == weights.count,
              covariances.count == weights.count, means.allSatisfy({ $0.count == n }),
              covariances.allSatisfy({ $0.count == n * n }) else { return nil }
        self.features = features
        self.prediction = prediction
        self.probability = probability
        self.weights = weights
        numFeatures = n
        components = zip(means, covariances).map { mean, sigma in
            let (values, vectors) = SymmetricEigen.decompose(sigma, n: n)
            let tol = Double.ulpOfOne * (values.max() ?? 0) * Double(n)
            var logPseudoDet = 0.0
            for value in values where value > tol { logPseudoDet += log(value) }
            var root = [Double](repeating: 0, count: n * n)
            for i in 0..<n where values[i] > tol {
                let scale = (1 / values[i]).squareRoot()
                for j in 0..<n { root[i * n + j] = scale * vectors[j * n + i] }
            }
            return Component(mean: mean, rootSigmaInverse: root,
                             constant: -0.5 * (Double(n) * log(2 * Double.pi) + logPseudoDet))
        }
    }

    /// Spark's `computeProbabilities` for one row.
    func probabilities(_ x: ArraySlice<Double>, into out: inout [Double]) {
        let n = numFeatures
        let base = x.startIndex
        var delta = [Double](repeating: 0, count: n)
        var sum = 0.0
        for (i, component) in components.enumerated() {
            for j in 0..<n { delta[j] = x[base + j] - component.mean[j] }
            var squares = 0.0
            for r in 0..<n {
                var v = 0.0
                for j in 0..<n { v += component.rootSigmaInverse[r * n + j] * delta[j] }
                squares += v * v
            }
            let p = Double.ulpOfOne + weights[i] * exp(component.constant + squares * -0.5)
            out[i] = p
            sum += p
        }
        for i in 0..<out.count { out[i] /= sum }
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: numFeatures, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: features, stage: stage)
        }
        let k = weights.count
        var probabilities = VectorBlock(width: k, rows: block.rowCount)
        var predictions = [Int64](repeating: 0, count: block.rowCount)
        var scratch = [Double](repeating: 0, count: k)
        for row in 0..<block.rowCount {
            self.probabilities(block.row(row), into: &scratch)
            probabilities.storage.replaceSubrange((row * k)..<((row + 1) * k), with: scratch)
            predictions[row] = Int64(Classification.argmax(scratch))
        }
        if let probability { try frame.put(.vectors(probability, probabilities)) }
        if let prediction { try frame.put(Column(name: prediction, type: ColumnType(.int), values: .int(predictions))) }
    }
}
