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
        /// e^x in float32 (`expf`): gamma, tweedie, poisson, cox.
        case exp
        /// e^x in double, rounded to float: survival:aft's lambda calls
        /// the double `exp`.
        case expDouble
        /// 1 when the margin is above 0, else 0.
        case hinge
    }

    var transform: Transform {
        switch self {
        case .binaryLogistic, .regLogistic: return .sigmoid
        case .multiSoftprob: return .softmax
        case .multiSoftmax: return .argmax
        case .regGamma, .regTweedie, .countPoisson, .survivalCox: return .exp
        case .survivalAFT: return .expDouble
        case .binaryHinge: return .hinge
        case .binaryLogitRaw, .regSquaredError, .regSquaredLogError, .regPseudoHuberError, .regAbsoluteError,
             .regQuantileError, .rankPairwise, .rankNDCG:
            return .identity
        }
    }

    /// Applies the transform to `rows × groups` margins, with libxgboost
    /// 1.7.4's float32 arithmetic step for step so the bits agree. Returns
    /// the values per row (one for argmax, else `groups`).
    func values(fromMargins margins: consuming [Float], rows: Int, groups: Int) -> [Float] {
        // In place where a margin maps to one value: the caller's buffer is moved in, not copied.
        var values = margins
        func each(_ body: (Float) -> Float) {
            values.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = body(buffer[index]) }
            }
        }
        switch transform {
        case .identity:
            break
        case .sigmoid:
            each(Self.sigmoid)
        case .exp:
            each { expf($0) }
        case .expDouble:
            each { Float(Foundation.exp(Double($0))) }
        case .hinge:
            each { $0 > 0 ? 1 : 0 }
        case .softmax:
            values.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<rows { Self.softmax(buffer, start: row * groups, count: groups) }
            }
        case .argmax:
            return (0..<rows).map { row in
                var best = row * groups
                for index in (row * groups)..<((row + 1) * groups) where values[index] > values[best] {
                    best = index
                }
                return Float(best - row * groups)
            }
        }
        return values
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

    /// Sorts each row's `groups` values in place as XGBoost 3.4's quantile
    /// transform does: an insertion sort moving a value left past every
    /// larger one (so NaN, never larger, stays where it is).
    static func sortRows(_ values: inout [Float], rows: Int, groups: Int) {
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rows {
                let offset = row * groups
                for index in 1..<max(groups, 1) {
                    let value = buffer[offset + index]
                    var position = index
                    while position > 0 && buffer[offset + position - 1] > value {
                        buffer[offset + position] = buffer[offset + position - 1]
                        position -= 1
                    }
                    buffer[offset + position] = value
                }
            }
        }
    }
}
