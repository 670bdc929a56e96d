import ConveyorCore
import Foundation

/// Spark's LogisticRegressionModel, computed as its `raw2probability` does.
/// - Binomial (one row of weights): raw = [−m, m], probability = σ of each,
///   prediction 1 when p₁ > threshold.
/// - Multinomial (a row per class): raw = margins, probability = softmax
///   (shifted by the largest margin when it is positive; +∞ takes all),
///   prediction = argmax.
/// With `thresholds` the prediction is the largest p / threshold. Each of
/// the three columns is written only when named; a null feature vector
/// gives nulls.
public struct LogisticRegression: Kernel {
    public typealias Columns = ClassifierColumns

    public let columns: Columns
    public let numClasses: Int
    public let numFeatures: Int
    /// Row-major [row][feature]: one row when binomial, one per class when multinomial.
    public let weights: [Double]
    public let intercepts: [Double]
    public let multinomial: Bool
    public let threshold: Double
    public let thresholds: [Double]?

    /// Nil if the shapes disagree (weights, intercepts, classes, thresholds).
    public init?(columns: Columns, numClasses: Int, numFeatures: Int, weights: [Double], intercepts: [Double],
                 multinomial: Bool, threshold: Double, thresholds: [Double]?) {
        let rows = multinomial ? numClasses : 1
        guard numClasses >= 2, numFeatures >= 0, (multinomial || numClasses == 2), intercepts.count == rows,
              weights.count == rows * numFeatures, thresholds.map({ $0.count == numClasses }) ?? true else { return nil }
        self.columns = columns
        self.numClasses = numClasses
        self.numFeatures = numFeatures
        self.weights = weights
        self.intercepts = intercepts
        self.multinomial = multinomial
        self.threshold = threshold
        self.thresholds = thresholds
    }

    /// The same model writing other columns, with other thresholds.
    public func writing(_ columns: Columns, thresholds: [Double]?) -> LogisticRegression? {
        LogisticRegression(columns: columns, numClasses: numClasses, numFeatures: numFeatures, weights: weights,
                           intercepts: intercepts, multinomial: multinomial, threshold: threshold, thresholds: thresholds)
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, columns.features, width: numFeatures, stage: stage)
        let rows = block.rowCount
        let k = numClasses
        var raw = VectorBlock(width: k, rows: rows)
        var probability = VectorBlock(width: k, rows: columns.probability == nil && columns.prediction == nil ? 0 : rows)
        var prediction = [Double](repeating: 0, count: columns.prediction == nil ? 0 : rows)
        block.storage.withUnsafeBufferPointer { x in
            raw.storage.withUnsafeMutableBufferPointer { r in
                margins(x, rows: rows, into: r)
            }
        }
        if probability.rowCount > 0 {
            raw.storage.withUnsafeBufferPointer { r in
                probability.storage.withUnsafeMutableBufferPointer { p in
                    for row in 0..<rows { probabilities(r, p, base: row * k) }
                }
            }
        }
        if !prediction.isEmpty {
            for row in 0..<rows {
                let p = probability.row(row)
                if let thresholds {
                    prediction[row] = Classification.thresholded(p, thresholds)
                } else if multinomial {
                    prediction[row] = Double(Classification.argmax(p))
                } else {
                    prediction[row] = p[p.startIndex + 1] > threshold ? 1 : 0
                }
            }
        }
        func vectors(_ name: String, _ block: VectorBlock) -> Column {
            Column(name: name, type: .vector(k), values: .vector(block), nulls: nulls)
        }
        if let name = columns.rawPrediction { try frame.put(vectors(name, raw)) }
        if let name = columns.probability { try frame.put(vectors(name, probability)) }
        if let name = columns.prediction { try frame.put(.doubles(name, prediction, nulls: nulls)) }
    }

    /// One row's raw prediction, for callers that score row by row (one-vs-rest).
    public func rawPrediction(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        precondition(x.count == numFeatures && raw.count == numClasses)
        x.withUnsafeBufferPointer { x in
            raw.withUnsafeMutableBufferPointer { margins(x, rows: 1, into: $0) }
        }
    }

    /// One row's probabilities from its raw prediction, in place.
    public func probability(_ values: inout [Double]) {
        precondition(values.count == numClasses)
        values.withUnsafeMutableBufferPointer { probabilities(UnsafeBufferPointer($0), $0, base: 0) }
    }

    /// Raw predictions for every row: [−m, m] or the class margins.
    private func margins(_ x: UnsafeBufferPointer<Double>, rows: Int, into raw: UnsafeMutableBufferPointer<Double>) {
        let n = numFeatures
        let k = numClasses
        weights.withUnsafeBufferPointer { w in
            for row in 0..<rows {
                if multinomial {
                    for c in 0..<k {
                        var dot = 0.0
                        for i in 0..<n { dot += x[row * n + i] * w[c * n + i] }
                        raw[row * k + c] = dot + intercepts[c]
                    }
                } else {
                    var dot = 0.0
                    for i in 0..<n { dot += x[row * n + i] * w[i] }
                    let m = dot + intercepts[0]
                    raw[row * 2] = -m
                    raw[row * 2 + 1] = m
                }
            }
        }
    }

    /// One row's probabilities from its raw prediction at `base`. `raw` and
    /// `p` may be the same buffer: each value is read before it is written.
    private func probabilities(_ raw: UnsafeBufferPointer<Double>, _ p: UnsafeMutableBufferPointer<Double>, base: Int) {
        let k = numClasses
        guard multinomial else {
            for c in 0..<k { p[base + c] = 1 / (1 + exp(-raw[base + c])) }
            return
        }
        var largest = 0
        for c in 1..<k where raw[base + c] > raw[base + largest] { largest = c }
        let maxMargin = raw[base + largest]
        if maxMargin == .infinity {
            for c in 0..<k { p[base + c] = c == largest ? 1 : 0 }
            return
        }
        var sum = 0.0
        for c in 0..<k {
            p[base + c] = maxMargin > 0 ? exp(raw[base + c] - maxMargin) : exp(raw[base + c])
            sum += p[base + c]
        }
        let scale = 1 / sum
        for c in 0..<k { p[base + c] *= scale }
    }
}
