import ConveyorCore
import Foundation

/// Spark's LogisticRegressionModel as MLeap stores it.
/// - Binary (`coefficients`, `intercept`, optional `threshold`, default
///   0.5): raw = [−m, m], probability = [1 − σ(m), σ(m)], prediction 1
///   when σ(m) > threshold.
/// - Multinomial (`coefficient_matrix` [classes × features],
///   `intercept_vector`): raw = margins, probability = softmax, prediction
///   = argmax. The matrix is column-major when Spark/MLeap's Scala writer
///   wrote it and row-major when mleap's Python writer did (`MatrixLayout`).
struct LogisticRegression: ClassifierModel {
    let numClasses: Int
    let numFeatures: Int
    /// Binary: one row of coefficients. Multinomial: row-major [class][feature].
    let weights: [Double]
    let intercepts: [Double]
    let threshold: Double
    let binary: Bool
    let layout: MatrixLayout?

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
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
            numClasses = classes
            numFeatures = features
            weights = layout.rowMajor(values, rows: classes, cols: features)
            self.layout = layout
            self.intercepts = intercepts
            threshold = 0.5
            binary = false
        } else {
            weights = try attrs.doubles("coefficients")
            intercepts = [attrs.has("intercept") ? try attrs.double("intercept") : 0]
            threshold = attrs.has("threshold") ? try attrs.double("threshold") : 0.5
            numClasses = 2
            numFeatures = weights.count
            binary = true
            layout = nil
            if let declared = attrs["num_classes"]?.int, declared != 2 {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (logistic_regression): num_classes \(declared) without a coefficient_matrix")
            }
        }
    }

    var details: [Fact] {
        binary
            ? [Fact("family", "binomial"), Fact("threshold", "\(threshold)")]
            : [Fact("family", "multinomial"), Fact("coefficients", layout?.rawValue ?? "")]
    }

    func margin(_ x: ArraySlice<Double>, row: Int) -> Double {
        let base = x.startIndex
        var sum = intercepts[row]
        let offset = row * numFeatures
        for i in 0..<numFeatures { sum += x[base + i] * weights[offset + i] }
        return sum
    }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        if binary {
            let m = margin(x, row: 0)
            raw[0] = -m
            raw[1] = m
        } else {
            for c in 0..<numClasses { raw[c] = margin(x, row: c) }
        }
    }

    func probability(_ values: inout [Double]) {
        if binary {
            let p = 1 / (1 + exp(-values[1]))
            values[0] = 1 - p
            values[1] = p
        } else {
            Classification.softmax(&values)
        }
    }

    func prediction(raw: [Double], probability: [Double]) -> Double {
        binary ? (probability[1] > threshold ? 1 : 0) : Double(Classification.argmax(probability))
    }
}
