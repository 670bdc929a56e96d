import ConveyorCore
import Operators

/// Reads a multi_layer_perceptron_classifier node (`layers`, `weights`)
/// into the MultilayerPerceptron scorer.
struct MultiLayerPerceptron: ClassifierModel {
    let scorer: Operators.MultilayerPerceptron
    var numFeatures: Int { scorer.numFeatures }
    var numClasses: Int { scorer.numClasses }

    init(_ node: BundleNode) throws {
        let layers = try node.attributes.ints("layers")
        let weights = try node.attributes.doubles("weights")
        guard layers.allSatisfy({ $0 > 0 && $0 <= MLeapLimits.maxWidth }) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (multi_layer_perceptron_classifier): layer sizes \(layers) must be in 1...\(MLeapLimits.maxWidth)")
        }
        guard let scorer = Operators.MultilayerPerceptron(layers: layers, weights: weights) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (multi_layer_perceptron_classifier): layers \(layers) need "
                    + "\(Operators.MultilayerPerceptron.weightCount(layers).map(String.init) ?? "too many") weights, found \(weights.count)")
        }
        self.scorer = scorer
    }

    var details: [Fact] { [Fact("layers", scorer.layers.map(String.init).joined(separator: " → "))] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) { scorer.raw(x, into: &raw) }

    func probability(_ values: inout [Double]) { scorer.probability(&values) }
}

/// Reads a naive_bayes node (`pi`, `theta` [classes × features] read
/// column-major as the MLeap runtime reads Spark's matrices, `model_type`
/// multinomial or bernoulli) into the NaiveBayes scorer.
struct NaiveBayes: ClassifierModel {
    let scorer: Operators.NaiveBayes
    var numFeatures: Int { scorer.numFeatures }
    var numClasses: Int { scorer.numClasses }

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        let pi = try attrs.doubles("pi")
        let values = try attrs.doubles("theta")
        let classes = pi.count
        guard classes > 0, values.count % classes == 0 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (naive_bayes): theta does not fit pi")
        }
        let features = values.count / classes
        var rowMajor = [Double](repeating: 0, count: values.count)
        for c in 0..<classes {
            for f in 0..<features { rowMajor[c * features + f] = values[f * classes + c] }
        }
        let type = attrs["model_type"]?.string ?? "multinomial"
        guard type == "multinomial" || type == "bernoulli", let modelType = Operators.NaiveBayes.ModelType(rawValue: type),
              let scorer = Operators.NaiveBayes(modelType: modelType, pi: pi, theta: rowMajor, sigma: nil) else {
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (naive_bayes): model_type '\(type)' is not supported")
        }
        self.scorer = scorer
    }

    var details: [Fact] { [Fact("model type", scorer.modelType.rawValue)] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) { scorer.raw(x, into: &raw) }

    func probability(_ values: inout [Double]) { scorer.probability(&values) }
}
