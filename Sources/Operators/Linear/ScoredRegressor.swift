import ConveyorCore

/// A regression model row by row (factorization machines, …).
public protocol RegressionScorer: Sendable {
    var numFeatures: Int { get }
    func predict(_ x: ArraySlice<Double>) -> Double
}

extension FactorizationMachine: RegressionScorer {
    public func predict(_ x: ArraySlice<Double>) -> Double { margin(x) }
}

/// A Spark regressor's prediction column over a `RegressionScorer`. A null
/// feature vector is refused, as Spark's UDF fails on it.
public struct ScoredRegressor: Kernel {
    public let scorer: any RegressionScorer
    public let features: String
    public let prediction: String

    public init(scorer: any RegressionScorer, features: String, prediction: String) {
        self.scorer = scorer
        self.features = features
        self.prediction = prediction
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: scorer.numFeatures, stage: stage)
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: features, stage: stage)
        }
        try frame.put(.doubles(prediction, (0..<block.rowCount).map { scorer.predict(block.row($0)) }))
    }
}
