import Foundation

/// Spark's shared arithmetic for probabilistic classifiers.
public enum Classification {
    /// The first index of the largest value (Spark's `Vector.argmax`).
    /// Inlinable so that callers in other modules get it specialized: called
    /// generically, it cost more per row than the rest of a classifier.
    @inlinable
    public static func argmax<C: RandomAccessCollection>(_ values: C) -> Int where C.Element == Double, C.Index == Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] { best = index }
        return best - values.startIndex
    }

    /// Divides by the sum, leaving an all-zero vector as it is.
    public static func normalize(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { normalize($0) }
    }

    /// `normalize` on one row of a buffer.
    public static func normalize(_ values: UnsafeMutableBufferPointer<Double>) {
        let sum = values.reduce(0, +)
        guard sum != 0 else { return }
        for index in values.indices { values[index] /= sum }
    }

    /// Softmax, shifted by the maximum for stability.
    public static func softmax(_ values: inout [Double]) {
        guard let largest = values.max() else { return }
        var sum = 0.0
        for index in values.indices {
            values[index] = exp(values[index] - largest)
            sum += values[index]
        }
        for index in values.indices { values[index] /= sum }
    }

    /// Spark's `probability2prediction` with thresholds: the argmax of
    /// probability / threshold, where a zero threshold scores +∞.
    public static func thresholded<C: RandomAccessCollection>(_ probability: C, _ thresholds: [Double]) -> Double
    where C.Element == Double, C.Index == Int {
        var best = 0
        var bestScore = -Double.infinity
        for (index, p) in probability.enumerated() {
            let t = thresholds[index]
            let score = t == 0 ? Double.infinity : p / t
            if index == 0 || score > bestScore {
                best = index
                bestScore = score
            }
        }
        return Double(best)
    }
}
