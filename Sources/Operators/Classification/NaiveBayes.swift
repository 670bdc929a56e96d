import Foundation

/// Spark's NaiveBayesModel (`predictRaw`; probability = softmax of raw):
/// - multinomial: raw = pi + theta · x (x ≥ 0);
/// - complement: raw = theta · x − logsumexp(theta · x) (x ≥ 0);
/// - bernoulli: raw = pi + Σ log(1 − e^theta) + (theta − log(1 − e^theta)) · x (x ∈ {0, 1});
/// - gaussian: raw = pi − (Σ (x − theta)² / sigma + Σ log sigma) / 2.
/// theta and sigma are row-major [class][feature].
public struct NaiveBayes: ClassifierScorer {
    public enum ModelType: String, Sendable, CaseIterable { case multinomial, complement, bernoulli, gaussian }

    public let modelType: ModelType
    public let numClasses: Int
    public let numFeatures: Int
    public let pi: [Double]
    public let theta: [Double]
    /// Bernoulli: theta − log(1 − e^theta); gaussian: sigma.
    let weights: [Double]
    /// Bernoulli: pi + Σ log(1 − e^theta); gaussian: Σ log sigma.
    let offsets: [Double]

    /// Nil when the shapes disagree (gaussian needs sigma of theta's shape).
    public init?(modelType: ModelType, pi: [Double], theta: [Double], sigma: [Double]?) {
        let classes = pi.count
        guard classes > 0, theta.count % classes == 0 else { return nil }
        let features = theta.count / classes
        self.modelType = modelType
        numClasses = classes
        numFeatures = features
        self.pi = pi
        self.theta = theta
        switch modelType {
        case .bernoulli:
            let negative = theta.map { log1p(-exp($0)) }
            weights = zip(theta, negative).map { $0 - $1 }
            offsets = (0..<classes).map { c in
                var sum = pi[c]
                for f in 0..<features { sum += negative[c * features + f] }
                return sum
            }
        case .gaussian:
            guard let sigma, sigma.count == theta.count else { return nil }
            weights = sigma
            offsets = (0..<classes).map { c in (0..<features).reduce(0.0) { $0 + log(sigma[c * features + $1]) } }
        case .multinomial, .complement:
            weights = []
            offsets = []
        }
    }

    public func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let base = x.startIndex
        let n = numFeatures
        for c in 0..<numClasses {
            switch modelType {
            case .multinomial, .complement:
                var sum = 0.0
                for f in 0..<n { sum += theta[c * n + f] * x[base + f] }
                raw[c] = modelType == .multinomial ? pi[c] + sum : sum
            case .bernoulli:
                var sum = 0.0
                for f in 0..<n { sum += weights[c * n + f] * x[base + f] }
                raw[c] = offsets[c] + sum
            case .gaussian:
                var s = 0.0
                for f in 0..<n {
                    let d = x[base + f] - theta[c * n + f]
                    s += d * d / weights[c * n + f]
                }
                raw[c] = pi[c] - (s + offsets[c]) / 2
            }
        }
        if modelType == .complement, let largest = raw.max() {
            // scipy's logsumexp, as Spark computes it.
            var sum = 0.0
            for c in 0..<numClasses { sum += exp(raw[c] - largest) }
            let logSumExp = log(sum) + largest
            for c in 0..<numClasses { raw[c] -= logSumExp }
        }
    }

    public func probability(_ values: inout [Double]) { Classification.softmax(&values) }

    /// Spark's requireNonnegativeValues / requireZeroOneBernoulliValues (NaN fails both).
    public func refusal(_ x: ArraySlice<Double>) -> String? {
        switch modelType {
        case .multinomial, .complement:
            if let bad = x.first(where: { $0 != 0 && !($0 > 0) }) {
                return "\(modelType.rawValue) naive Bayes needs non-negative feature values, found \(bad)"
            }
        case .bernoulli:
            if let bad = x.first(where: { $0 != 0 && $0 != 1 }) {
                return "bernoulli naive Bayes needs feature values 0 or 1, found \(bad)"
            }
        case .gaussian: break
        }
        return nil
    }
}
