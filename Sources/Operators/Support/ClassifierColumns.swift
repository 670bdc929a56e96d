/// The columns a Spark probabilistic classifier reads and writes: each of
/// the three outputs is written only when named.
public struct ClassifierColumns: Sendable {
    public var features: String
    public var rawPrediction: String?
    public var probability: String?
    public var prediction: String?

    public init(features: String, rawPrediction: String?, probability: String?, prediction: String?) {
        self.features = features
        self.rawPrediction = rawPrediction
        self.probability = probability
        self.prediction = prediction
    }
}
