import ConveyorCore

/// Spark's OneVsRestModel: one binary classifier per class; rawPrediction =
/// each classifier's rawPrediction(1) (the margin for linear models), the
/// prediction = its argmax (the first on ties). `winnerProbability`
/// (MLeap's `probability` port) is the winning classifier's positive-class
/// probability. With `noWinner` set (Spark 4.x), the winner is the first raw
/// value above −∞ and the ones before it, and a row without one (all NaN)
/// predicts `noWinner`, as Spark 4.3 does (−1); without it (Spark 3.x and
/// MLeap), the first classifier unless a later one is strictly above. A null feature
/// vector is refused, as Spark's UDF fails on it.
public struct OneVsRest: Kernel {
    public let classifiers: [any ClassifierScorer]
    public let features: String
    public let numFeatures: Int
    public let rawPrediction: String?
    public let prediction: String?
    public let winnerProbability: String?
    public let noWinner: Double?

    /// Nil unless every classifier is binary and reads `numFeatures` values.
    public init?(classifiers: [any ClassifierScorer], features: String, numFeatures: Int, rawPrediction: String?,
                 prediction: String?, winnerProbability: String? = nil, noWinner: Double? = nil) {
        guard !classifiers.isEmpty, classifiers.allSatisfy({ $0.numClasses == 2 && $0.numFeatures == numFeatures }) else {
            return nil
        }
        self.classifiers = classifiers
        self.features = features
        self.numFeatures = numFeatures
        self.rawPrediction = rawPrediction
        self.prediction = prediction
        self.winnerProbability = winnerProbability
        self.noWinner = noWinner
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: numFeatures, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: features, stage: stage)
        }
        let rows = block.rowCount
        let k = classifiers.count
        var raw = VectorBlock(width: k, rows: rawPrediction == nil ? 0 : rows)
        var predictions = [Double](repeating: 0, count: rows)
        var probabilities = [Double](repeating: 0, count: winnerProbability == nil ? 0 : rows)
        var scratch = [0.0, 0.0]
        // Spark 4 keeps the first raw value strictly above the best so far, from −∞ (NaN never wins);
        // MLeap's rule starts from the first classifier.
        let fromMinusInfinity = noWinner != nil
        for row in 0..<rows {
            var best = -1
            var bestRaw = [0.0, -Double.infinity]
            for (index, model) in classifiers.enumerated() {
                scratch[0] = 0
                scratch[1] = 0
                model.raw(block.row(row), into: &scratch)
                if rawPrediction != nil { raw.storage[row * k + index] = scratch[1] }
                if (index == 0 && !fromMinusInfinity) || scratch[1] > bestRaw[1] {
                    best = index
                    bestRaw = scratch
                }
            }
            predictions[row] = best >= 0 ? Double(best) : noWinner ?? 0
            if winnerProbability != nil {
                guard best >= 0 else {
                    probabilities[row] = .nan
                    continue
                }
                classifiers[best].probability(&bestRaw)
                probabilities[row] = bestRaw[1]
            }
        }
        if let rawPrediction { try frame.put(.vectors(rawPrediction, raw)) }
        if let prediction { try frame.put(.doubles(prediction, predictions)) }
        if let winnerProbability { try frame.put(.doubles(winnerProbability, probabilities)) }
    }
}

extension LogisticRegression: ClassifierScorer {
    public func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) { rawPrediction(x, into: &raw) }
}

extension LinearSVC: ClassifierScorer {
    public var numClasses: Int { 2 }
    public var numFeatures: Int { coefficients.count }

    public func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let m = margin(x)
        raw[0] = -m
        raw[1] = m
    }

    /// LinearSVC has no probability; the raw prediction stays as it is.
    public func probability(_ values: inout [Double]) {}
}
