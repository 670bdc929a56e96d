import ConveyorCore

/// Spark's LinearSVCModel: margin m = coefficients · x + intercept;
/// rawPrediction = [−m, m]; prediction = 1 when m > threshold (default 0).
/// It has no probability. A null feature vector is refused, as Spark's UDF
/// fails on it.
public struct LinearSVC: Kernel {
    public let features: String
    public let rawPrediction: String?
    public let prediction: String?
    public let coefficients: [Double]
    public let intercept: Double
    public let threshold: Double

    public init(features: String, rawPrediction: String?, prediction: String?, coefficients: [Double], intercept: Double,
                threshold: Double) {
        self.features = features
        self.rawPrediction = rawPrediction
        self.prediction = prediction
        self.coefficients = coefficients
        self.intercept = intercept
        self.threshold = threshold
    }

    /// The margin of one row.
    public func margin(_ x: ArraySlice<Double>) -> Double {
        var sum = 0.0
        let base = x.startIndex
        for i in 0..<coefficients.count { sum += x[base + i] * coefficients[i] }
        return sum + intercept
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: coefficients.count, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: features, stage: stage)
        }
        let rows = block.rowCount
        var raw = VectorBlock(width: 2, rows: rows)
        var predicted = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            let m = margin(block.row(row))
            raw.storage[row * 2] = -m
            raw.storage[row * 2 + 1] = m
            predicted[row] = m > threshold ? 1 : 0
        }
        if let rawPrediction { try frame.put(.vectors(rawPrediction, raw)) }
        if let prediction { try frame.put(.doubles(prediction, predicted)) }
    }
}
