import ConveyorCore

/// A Spark classifier's columns over a `ClassifierScorer`, as Spark's
/// `ProbabilisticClassificationModel.transform` writes them: raw, then
/// probability = raw2probability(raw), then the prediction — argmax(raw)
/// when the raw column is written and no thresholds are set, else from the
/// probability (thresholded when set), else argmax(raw). A null feature
/// vector, and a row the scorer refuses, are refused as Spark refuses them.
public struct ScoredClassifier: Kernel {
    public let scorer: any ClassifierScorer
    public let columns: ClassifierColumns
    public let thresholds: [Double]?

    /// Nil when thresholds do not match the classes.
    public init?(scorer: any ClassifierScorer, columns: ClassifierColumns, thresholds: [Double]?) {
        guard thresholds.map({ $0.count == scorer.numClasses }) ?? true else { return nil }
        self.scorer = scorer
        self.columns = columns
        self.thresholds = thresholds
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let n = scorer.numFeatures
        let (block, nulls) = try Inputs.vectors(frame, columns.features, width: n, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: columns.features, stage: stage)
        }
        let rows = block.rowCount
        let k = scorer.numClasses
        var rawBlock = VectorBlock(width: k, rows: columns.rawPrediction == nil ? 0 : rows)
        var probabilityBlock = VectorBlock(width: k, rows: columns.probability == nil ? 0 : rows)
        var predictions = [Double](repeating: 0, count: columns.prediction == nil ? 0 : rows)
        var raw = [Double](repeating: 0, count: k)
        var probability = raw
        let fromRaw = thresholds == nil && (columns.rawPrediction != nil || columns.probability == nil)
        for row in 0..<rows {
            let x = block.row(row)
            if let reason = scorer.refusal(x) {
                throw invalidRow(reason, frame, row: row, column: columns.features, stage: stage)
            }
            scorer.raw(x, into: &raw)
            if columns.rawPrediction != nil { rawBlock.storage.replaceSubrange((row * k)..<((row + 1) * k), with: raw) }
            if columns.probability != nil || !fromRaw {
                probability = raw
                scorer.probability(&probability)
                if columns.probability != nil {
                    probabilityBlock.storage.replaceSubrange((row * k)..<((row + 1) * k), with: probability)
                }
            }
            guard !predictions.isEmpty else { continue }
            if fromRaw {
                predictions[row] = Double(Classification.argmax(raw))
            } else if let thresholds {
                predictions[row] = Classification.thresholded(probability, thresholds)
            } else {
                predictions[row] = Double(Classification.argmax(probability))
            }
        }
        if let name = columns.rawPrediction { try frame.put(.vectors(name, rawBlock)) }
        if let name = columns.probability { try frame.put(.vectors(name, probabilityBlock)) }
        if let name = columns.prediction { try frame.put(.doubles(name, predictions)) }
    }
}
