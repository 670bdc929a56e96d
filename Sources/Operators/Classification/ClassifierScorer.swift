/// The model inside a classifier, row by row: features → raw prediction →
/// probability. The column kernels (`ScoredClassifier`) and MLeap's
/// classifier nodes both call it.
public protocol ClassifierScorer: Sendable {
    var numClasses: Int { get }
    var numFeatures: Int { get }
    /// Writes the raw prediction for `x` (`raw` holds numClasses values).
    func raw(_ x: ArraySlice<Double>, into raw: inout [Double])
    /// Turns a raw prediction into class probabilities, in place.
    func probability(_ values: inout [Double])
    /// Why Spark refuses `x` (NaiveBayes's value checks), or nil.
    func refusal(_ x: ArraySlice<Double>) -> String?
}

extension ClassifierScorer {
    public func refusal(_ x: ArraySlice<Double>) -> String? { nil }
}
