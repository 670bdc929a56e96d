import ConveyorCore
import Operators

/// MLeap's `support_vector_machine`: the Spark extension
/// `org.apache.spark.ml.mleap.classification.SVMModel` around mllib's
/// linear SVMModel. margin m = coefficients · x + intercept; raw = [−m, m];
/// probability = raw (the extension's raw2probability is the identity, so
/// these are not probabilities); prediction = argmax(raw), i.e. 1 when
/// m > 0, as Spark's transform computes it when a raw column is named and
/// no thresholds are set. A stored `threshold` is shown but, as in Spark's
/// transform, not used (training/spark_parity_models.py).
///
/// `svm` is what mleap's Python writer names scikit-learn's LinearSVC/SVC
/// (MLeap's Scala runtime has no such op): same attributes; the prediction
/// (decision > 0 → 1) is the same argmax. It keeps only `coef_[0]`, so a
/// multi-class export is refused rather than run as a wrong binary model.
struct SupportVectorMachine: ClassifierModel {
    /// The margin (Spark's LinearSVC kernel; its columns are not used here).
    let svc: Operators.LinearSVC
    let threshold: Double?
    var numClasses: Int { 2 }
    var numFeatures: Int { svc.coefficients.count }

    init(_ node: BundleNode) throws {
        svc = Operators.LinearSVC(
            features: "", rawPrediction: nil, prediction: nil, coefficients: try node.attributes.doubles("coefficients"),
            intercept: node.attributes.has("intercept") ? try node.attributes.double("intercept") : 0, threshold: 0)
        threshold = node.attributes.has("threshold") ? try node.attributes.double("threshold") : nil
        if let declared = node.attributes["num_classes"]?.int, declared != 2 {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (\(node.op)): only binary linear SVMs can be run; num_classes is \(declared)"
                    + (node.op == "svm" ? " (mleap's Python writer kept only the first class's coefficients)" : ""))
        }
    }

    var details: [Fact] {
        [Fact("kernel", "linear")] + (threshold.map { [Fact("stored threshold (unused by Spark's transform)", "\($0)")] } ?? [])
    }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let margin = svc.margin(x)
        raw[0] = -margin
        raw[1] = margin
    }

    /// The identity, as the extension's `raw2probabilityInPlace`.
    func probability(_ values: inout [Double]) {}

    func prediction(raw: [Double], probability: [Double]) -> Double { Double(Classification.argmax(raw)) }
}
