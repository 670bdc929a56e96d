import ConveyorCore
import Foundation

/// Spark's AFTSurvivalRegressionModel: prediction λ = exp(coefficients · x +
/// intercept); quantiles = λ · exp(log(−log(1 − q)) · scale) for each
/// quantile probability q. A null feature vector gives nulls.
public struct AFTSurvivalRegression: Kernel {
    public let features: String
    public let prediction: String?
    public let quantiles: String?
    public let coefficients: [Double]
    public let intercept: Double
    public let scale: Double
    public let quantileFactors: [Double]

    /// Spark's default `quantileProbabilities`.
    public static let defaultProbabilities = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]

    public init(features: String, prediction: String?, quantiles: String?, coefficients: [Double], intercept: Double,
                scale: Double, probabilities: [Double]) {
        self.features = features
        self.prediction = prediction
        self.quantiles = quantiles
        self.coefficients = coefficients
        self.intercept = intercept
        self.scale = scale
        quantileFactors = probabilities.map { q in exp(log(-log1p(-q)) * scale) }
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: coefficients.count, stage: stage)
        let rows = block.rowCount
        let n = coefficients.count
        var predictions = [Double](repeating: 0, count: rows)
        let featureValues = block.storage
        for row in 0..<rows {
            var dot = 0.0
            for i in 0..<n { dot += featureValues[row * n + i] * coefficients[i] }
            predictions[row] = exp(dot + intercept)
        }
        if let prediction { try frame.put(.doubles(prediction, predictions, nulls: nulls)) }
        if let quantiles {
            let k = quantileFactors.count
            var block = VectorBlock(width: k, rows: rows)
            for row in 0..<rows {
                for j in 0..<k { block.storage[row * k + j] = predictions[row] * quantileFactors[j] }
            }
            try frame.put(Column(name: quantiles, type: .vector(k), values: .vector(block), nulls: nulls))
        }
    }
}
