import Foundation

/// Spark's factorization machines (FMClassificationModel, FMRegressionModel):
/// m = intercept + linear · x + ½ Σ_f ((Σ_i v_if x_i)² − Σ_i (v_if x_i)²),
/// over the non-zero x_i as Spark iterates them. The regressor predicts m;
/// the classifier's raw is [−m, m] and its probability [1 − σ(m), σ(m)].
public struct FactorizationMachine: ClassifierScorer {
    public let intercept: Double
    /// Empty when the model was fitted without a linear term.
    public let linear: [Double]
    /// Row-major [feature][factor].
    public let factors: [Double]
    public let numFeatures: Int
    public let numFactors: Int
    public var numClasses: Int { 2 }

    /// Nil when linear or factors do not fit numFeatures.
    public init?(intercept: Double, linear: [Double], factors: [Double], numFeatures: Int, numFactors: Int) {
        guard numFeatures >= 0, numFactors >= 0, linear.isEmpty || linear.count == numFeatures,
              numFeatures.multipliedReportingOverflow(by: numFactors) == (factors.count, false) else { return nil }
        self.intercept = intercept
        self.linear = linear
        self.factors = factors
        self.numFeatures = numFeatures
        self.numFactors = numFactors
    }

    public func margin(_ x: ArraySlice<Double>) -> Double {
        let base = x.startIndex
        var m = 0.0
        for f in 0..<numFactors {
            var sumSquare = 0.0
            var sum = 0.0
            for i in 0..<numFeatures where x[base + i] != 0 {
                let vx = factors[i * numFactors + f] * x[base + i]
                sumSquare += vx * vx
                sum += vx
            }
            m += 0.5 * (sum * sum - sumSquare)
        }
        if !linear.isEmpty {
            var dot = 0.0
            for i in 0..<numFeatures { dot += x[base + i] * linear[i] }
            m += dot
        }
        return m + intercept
    }

    public func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let m = margin(x)
        raw[0] = -m
        raw[1] = m
    }

    public func probability(_ values: inout [Double]) {
        values[1] = 1 / (1 + exp(-values[1]))
        values[0] = 1 - values[1]
    }
}
