import ConveyorCore
import Operators

/// Reads a logistic_regression node into the LogisticRegression kernel.
/// - Binomial: `coefficients`, `intercept`, optional `threshold` (0.5).
/// - Multinomial: `coefficient_matrix` [classes × features] and
///   `intercept_vector`. The matrix is column-major when Spark/MLeap's Scala
///   writer wrote it and row-major when mleap's Python writer did (`MatrixLayout`).
/// Also a `ClassifierModel`, so one-vs-rest can score its children row by row.
struct LogisticRegression: ClassifierModel {
    let kernel: Operators.LogisticRegression
    let layout: MatrixLayout?

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        // Columns and thresholds are the node's ports; ClassifierNode sets them (`columnKernel`).
        let columns = Operators.LogisticRegression.Columns(features: "", rawPrediction: nil, probability: nil, prediction: nil)
        let built: Operators.LogisticRegression?
        if attrs.has("coefficient_matrix") {
            let values = try attrs.doubles("coefficient_matrix")
            let intercepts = try attrs.doubles("intercept_vector")
            let shape = attrs["coefficient_matrix"]?.tensorShape ?? []
            let classes = shape.first ?? intercepts.count
            guard classes > 0, classes == intercepts.count, values.count % classes == 0 else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (logistic_regression): coefficient_matrix of \(values.count) values "
                        + "does not fit \(intercepts.count) intercepts")
            }
            let features = values.count / classes
            let layout = try MatrixLayout.of(node.files, rows: classes, cols: features, node: node.name, op: node.op)
            self.layout = layout
            built = Operators.LogisticRegression(
                columns: columns, numClasses: classes, numFeatures: features,
                weights: layout.rowMajor(values, rows: classes, cols: features), intercepts: intercepts,
                multinomial: true, threshold: 0.5, thresholds: nil)
        } else {
            if let declared = attrs["num_classes"]?.int, declared != 2 {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (logistic_regression): num_classes \(declared) without a coefficient_matrix")
            }
            let weights = try attrs.doubles("coefficients")
            layout = nil
            built = Operators.LogisticRegression(
                columns: columns, numClasses: 2, numFeatures: weights.count, weights: weights,
                intercepts: [attrs.has("intercept") ? try attrs.double("intercept") : 0], multinomial: false,
                threshold: attrs.has("threshold") ? try attrs.double("threshold") : 0.5, thresholds: nil)
        }
        guard let built else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (logistic_regression): a multinomial model needs 2 or more classes")
        }
        kernel = built
    }

    var numClasses: Int { kernel.numClasses }
    var numFeatures: Int { kernel.numFeatures }

    var details: [Fact] {
        kernel.multinomial
            ? [Fact("family", "multinomial"), Fact("coefficients", layout?.rawValue ?? "")]
            : [Fact("family", "binomial"), Fact("threshold", "\(kernel.threshold)")]
    }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) { kernel.rawPrediction(x, into: &raw) }

    func probability(_ values: inout [Double]) { kernel.probability(&values) }

    /// The kernel over whole columns, writing the node's ports.
    func columnKernel(_ ports: ClassifierPorts) -> (any Kernel)? {
        kernel.writing(.init(features: ports.features, rawPrediction: ports.raw, probability: ports.probability,
                             prediction: ports.prediction), thresholds: ports.thresholds)
    }
}
