import ConveyorCore

/// Spark's IsotonicRegressionModel: piecewise-linear interpolation between
/// `boundaries` and `predictions`, constant outside them. The lookup is
/// Java's `Arrays.binarySearch` step for step, so that repeated boundaries
/// pick the same point Spark picks. The input is a scalar column, or
/// element `featureIndex` of a vector column. A null input gives null.
public struct IsotonicRegression: Kernel {
    public let feature: String
    public let prediction: String
    public let boundaries: [Double]
    public let predictions: [Double]
    public let featureIndex: Int

    /// Nil unless boundaries are sorted, non-empty and as many as predictions.
    public init?(feature: String, prediction: String, boundaries: [Double], predictions: [Double], featureIndex: Int) {
        guard !boundaries.isEmpty, boundaries.count == predictions.count, featureIndex >= 0,
              zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
        self.feature = feature
        self.prediction = prediction
        self.boundaries = boundaries
        self.predictions = predictions
        self.featureIndex = featureIndex
    }

    /// `java.util.Arrays.binarySearch(double[], double)`.
    public static func javaBinarySearch(_ a: [Double], _ key: Double) -> Int {
        var low = 0
        var high = a.count - 1
        while low <= high {
            let mid = (low + high) >> 1
            let value = a[mid]
            if value < key {
                low = mid + 1
            } else if value > key {
                high = mid - 1
            } else {
                // Java compares bit patterns on equality (−0.0 < 0.0; NaN equals NaN).
                let valueBits = value.isNaN ? Double.nan.bitPattern : value.bitPattern
                let keyBits = key.isNaN ? Double.nan.bitPattern : key.bitPattern
                if valueBits == keyBits { return mid }
                if Int64(bitPattern: valueBits) < Int64(bitPattern: keyBits) { low = mid + 1 } else { high = mid - 1 }
            }
        }
        return -(low + 1)
    }

    public func predict(_ x: Double) -> Double {
        let found = Self.javaBinarySearch(boundaries, x)
        let insert = -found - 1
        if insert == 0 { return predictions[0] }
        if insert == boundaries.count { return predictions[predictions.count - 1] }
        if found >= 0 { return predictions[found] }
        let (x1, y1, x2, y2) = (boundaries[insert - 1], predictions[insert - 1], boundaries[insert], predictions[insert])
        return y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(feature, stage: stage)
        let values: [Double]
        if column.type.isVector {
            let block = try column.vectorBlock(stage: stage)
            guard featureIndex < block.width || block.rowCount == 0 else {
                throw ConveyorError(
                    .invalidInput, "featureIndex \(featureIndex) is outside a vector of width \(block.width)",
                    stage: stage, column: feature)
            }
            let storage = block.storage
            values = (0..<block.rowCount).map { storage[$0 * block.width + featureIndex] }
        } else {
            values = try column.scalarDoubles(stage: stage)
        }
        try frame.put(.doubles(prediction, values.map(predict), nulls: column.nulls))
    }
}
