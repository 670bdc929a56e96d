import ConveyorCore

/// Spark's LinearRegressionModel: coefficients · features + intercept. A
/// null feature vector gives a null prediction.
public struct LinearRegression: Kernel {
    public let features: String
    public let prediction: String
    public let coefficients: [Double]
    public let intercept: Double

    public init(features: String, prediction: String, coefficients: [Double], intercept: Double) {
        self.features = features
        self.prediction = prediction
        self.coefficients = coefficients
        self.intercept = intercept
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: coefficients.count, stage: stage)
        let w = coefficients.count
        var out = [Double](repeating: 0, count: block.rowCount)
        block.storage.withUnsafeBufferPointer { x in
            coefficients.withUnsafeBufferPointer { c in
                for row in 0..<out.count {
                    var sum = 0.0
                    for i in 0..<w { sum += x[row * w + i] * c[i] }
                    out[row] = sum + intercept
                }
            }
        }
        try frame.put(.doubles(prediction, out, nulls: nulls))
    }
}
