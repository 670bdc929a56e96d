import Foundation

/// Spark's MultilayerPerceptronClassificationModel: affine layers with
/// sigmoid activations; raw = the last layer before its softmax,
/// probability = softmax(raw). `weights` holds, per layer, the out × in
/// matrix column-major (Breeze's layout) then the out biases.
public struct MultilayerPerceptron: ClassifierScorer {
    public let layers: [Int]
    public let weights: [Double]
    public var numFeatures: Int { layers[0] }
    public var numClasses: Int { layers[layers.count - 1] }

    /// The weights `layers` need; nil when a size is not positive or the
    /// count overflows.
    public static func weightCount(_ layers: [Int]) -> Int? {
        guard layers.count >= 2, layers.allSatisfy({ $0 > 0 }) else { return nil }
        var total = 0
        for (inputs, outputs) in zip(layers, layers.dropFirst()) {
            let (product, overflow1) = inputs.multipliedReportingOverflow(by: outputs)
            let (layer, overflow2) = product.addingReportingOverflow(outputs)
            let (sum, overflow3) = total.addingReportingOverflow(layer)
            guard !overflow1, !overflow2, !overflow3 else { return nil }
            total = sum
        }
        return total
    }

    /// Nil when the weights do not fit the layers.
    public init?(layers: [Int], weights: [Double]) {
        guard Self.weightCount(layers) == weights.count else { return nil }
        self.layers = layers
        self.weights = weights
    }

    public func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
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

    public func probability(_ values: inout [Double]) { Classification.softmax(&values) }
}
