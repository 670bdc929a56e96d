import ConveyorCore
import Foundation

/// Spark's MultilayerPerceptronClassificationModel: affine layers with
/// sigmoid activations and a softmax output. `weights` holds, per layer,
/// the out × in matrix column-major (Breeze's layout) then the out biases.
/// raw = the last layer before softmax; probability = softmax(raw).
struct MultiLayerPerceptron: ClassifierModel {
    let layers: [Int]
    let weights: [Double]
    var numFeatures: Int { layers[0] }
    var numClasses: Int { layers[layers.count - 1] }

    init(_ node: BundleNode) throws {
        layers = try node.attributes.ints("layers")
        weights = try node.attributes.doubles("weights")
        guard layers.allSatisfy({ $0 > 0 && $0 <= MLeapLimits.maxWidth }) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (multi_layer_perceptron_classifier): layer sizes \(layers) must be in 1...\(MLeapLimits.maxWidth)")
        }
        // Sizes are at most 2^24, so each layer's weights fit; the running sum is checked.
        var expected = 0
        for (inputs, outputs) in zip(layers, layers.dropFirst()) {
            let (sum, overflow) = expected.addingReportingOverflow(inputs * outputs + outputs)
            expected = overflow ? -1 : sum
            if overflow { break }
        }
        guard layers.count >= 2, weights.count == expected else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (multi_layer_perceptron_classifier): layers \(layers) need \(expected) "
                    + "weights, found \(weights.count)")
        }
    }

    var details: [Fact] { [Fact("layers", layers.map(String.init).joined(separator: " → "))] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        var input = Array(x)
        var offset = 0
        for layer in 1..<layers.count {
            let inputs = layers[layer - 1]
            let outputs = layers[layer]
            var output = [Double](repeating: 0, count: outputs)
            for o in 0..<outputs {
                var sum = weights[offset + inputs * outputs + o]
                for i in 0..<inputs { sum += weights[offset + i * outputs + o] * input[i] }
                // Hidden layers squash with the logistic function; the last stays raw.
                output[o] = layer == layers.count - 1 ? sum : 1 / (1 + exp(-sum))
            }
            offset += inputs * outputs + outputs
            input = output
        }
        for index in 0..<numClasses { raw[index] = input[index] }
    }

    func probability(_ values: inout [Double]) { Classification.softmax(&values) }
}

/// Spark's NaiveBayesModel (multinomial or bernoulli): raw = log prior +
/// log likelihood; probability = the raw values exponentiated and
/// normalized. `theta` is [classes × features], read column-major as the
/// MLeap runtime reads Spark's matrices.
struct NaiveBayes: ClassifierModel {
    let numClasses: Int
    let numFeatures: Int
    let pi: [Double]
    /// Row-major [class][feature].
    let theta: [Double]
    let bernoulli: Bool

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        pi = try attrs.doubles("pi")
        let values = try attrs.doubles("theta")
        numClasses = pi.count
        guard numClasses > 0, values.count % numClasses == 0 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (naive_bayes): theta does not fit pi")
        }
        numFeatures = values.count / numClasses
        var rowMajor = [Double](repeating: 0, count: values.count)
        for c in 0..<numClasses {
            for f in 0..<numFeatures { rowMajor[c * numFeatures + f] = values[f * numClasses + c] }
        }
        theta = rowMajor
        let type = attrs["model_type"]?.string ?? "multinomial"
        switch type {
        case "multinomial": bernoulli = false
        case "bernoulli": bernoulli = true
        default:
            throw ConveyorError(.unsupportedModel, "MLeap node '\(node.name)' (naive_bayes): model_type '\(type)' is not supported")
        }
    }

    var details: [Fact] { [Fact("model type", bernoulli ? "bernoulli" : "multinomial")] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let base = x.startIndex
        for c in 0..<numClasses {
            var sum = pi[c]
            for f in 0..<numFeatures {
                let t = theta[c * numFeatures + f]
                if bernoulli {
                    let negative = log1p(-exp(t))
                    sum += x[base + f] * (t - negative) + negative
                } else {
                    sum += x[base + f] * t
                }
            }
            raw[c] = sum
        }
    }

    func probability(_ values: inout [Double]) { Classification.softmax(&values) }
}
