import Foundation

extension Objective {
    /// How an objective turns margins into its values (`PredTransform`).
    enum Transform {
        case identity
        /// 1 / (1 + e^-x), as libxgboost's `common::Sigmoid`.
        case sigmoid
        /// Per-row probabilities, as libxgboost's `common::Softmax`.
        case softmax
        /// The index of the first largest margin, as a float.
        case argmax
    }

    var transform: Transform {
        switch self {
        case .binaryLogistic, .regLogistic: return .sigmoid
        case .multiSoftprob: return .softmax
        case .multiSoftmax: return .argmax
        case .binaryLogitRaw, .regSquaredError: return .identity
        }
    }

    /// Applies the transform to `rows × groups` margins, with libxgboost
    /// 1.7.4's float32 arithmetic step for step so the bits agree. Returns
    /// the values per row (one for argmax, else `groups`).
    func values(fromMargins margins: [Float], rows: Int, groups: Int) -> [Float] {
        switch transform {
        case .identity:
            return margins
        case .sigmoid:
            return margins.map(Self.sigmoid)
        case .softmax:
            var values = margins
            values.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<rows { Self.softmax(buffer, start: row * groups, count: groups) }
            }
            return values
        case .argmax:
            return (0..<rows).map { row in
                var best = row * groups
                for index in (row * groups)..<((row + 1) * groups) where margins[index] > margins[best] {
                    best = index
                }
                return Float(best - row * groups)
            }
        }
    }

    static func sigmoid(_ margin: Float) -> Float {
        let epsilon = Float(1e-16 as Double)
        let negated = -margin
        let clamped = Float(88.7) < negated ? Float(88.7) : negated  // std::min(-x, 88.7f)
        let denominator = expf(clamped) + Float(1) + epsilon
        return Float(1) / denominator
    }

    /// The maximum via fmaxf, the sum of the exponentials in double, each
    /// divided by that sum rounded to float.
    static func softmax(_ values: UnsafeMutableBufferPointer<Float>, start: Int, count: Int) {
        guard count > 0 else { return }
        var largest = values[start]
        for index in (start + 1)..<(start + count) { largest = fmaxf(values[index], largest) }
        var sum = 0.0
        for index in start..<(start + count) {
            values[index] = expf(values[index] - largest)
            sum += Double(values[index])
        }
        let total = Float(sum)
        for index in start..<(start + count) { values[index] /= total }
    }
}
