import ConveyorCore

/// Spark's KMeansModel: the index of the closest cluster center, the first
/// on ties. Euclidean compares squared distances; cosine compares
/// 1 − x·c / (|x| |c|). A vector holding NaN is refused, as Spark refuses it
/// (its norm fails a check), and so is a zero vector under cosine, for which
/// the distance is undefined (Spark 4.3 returns a cluster anyway, by a rule
/// not reproduced). A null vector is refused (Spark's UDF fails on it).
public struct KMeans: Kernel {
    public enum Distance: String, Sendable { case euclidean, cosine }

    public let features: String
    public let prediction: String
    public let distance: Distance
    public let numFeatures: Int
    /// Row-major [cluster][feature].
    public let centers: [Double]
    let centerNorms: [Double]

    public var k: Int { numFeatures == 0 ? 0 : centers.count / numFeatures }

    /// Nil when there is no center or the centers do not share one width.
    public init?(features: String, prediction: String, distance: Distance, centers: [[Double]]) {
        guard let width = centers.first?.count, width > 0, centers.allSatisfy({ $0.count == width }) else { return nil }
        self.features = features
        self.prediction = prediction
        self.distance = distance
        numFeatures = width
        self.centers = centers.flatMap { $0 }
        centerNorms = centers.map { center in center.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    }

    /// The closest center to `x`.
    public func closest(_ x: ArraySlice<Double>) -> Int {
        let n = numFeatures
        let base = x.startIndex
        var best = 0
        var bestDistance = Double.infinity
        var norm = 0.0
        if distance == .cosine { for i in 0..<n { norm += x[base + i] * x[base + i] } }
        norm = norm.squareRoot()
        for c in 0..<k {
            var value = 0.0
            switch distance {
            case .euclidean:
                for i in 0..<n {
                    let d = x[base + i] - centers[c * n + i]
                    value += d * d
                }
            case .cosine:
                var dot = 0.0
                for i in 0..<n { dot += x[base + i] * centers[c * n + i] }
                value = 1 - dot / norm / centerNorms[c]
            }
            if value < bestDistance {
                bestDistance = value
                best = c
            }
        }
        return best
    }
}
