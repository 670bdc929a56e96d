import ConveyorCore
import Operators

/// Reads a one_vs_rest node (one binary classifier per class, `model0`,
/// `model1`, … inside the node) into the OneVsRest kernel: the prediction is
/// the class whose classifier gives the largest rawPrediction(1), as Spark
/// picks it (MLeap's runtime compares probabilities instead, which differs
/// only where σ saturates); `probability` (MLeap's port) is the winner's
/// positive-class probability.
struct OneVsRest: NodeTransformer {
    let name: String
    let op = "one_vs_rest"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.OneVsRest

    init(_ node: BundleNode) throws {
        let count = try node.attributes.size("num_classes", minimum: 1)
        guard count > 0, let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (one_vs_rest) has no classes or no features input")
        }
        let classifiers = try (0..<count).map { index in
            let child = try BundleNode.read(node.files.subtree("model\(index)"), fallbackName: "\(node.name)/model\(index)")
            return try TransformerFactory.classifierModel(child)
        }
        let numFeatures = try node.attributes.optionalSize("num_features") ?? classifiers[0].numFeatures
        let prediction = node.output(port: "prediction")
        let probability = node.output(port: "probability")
        guard let kernel = Operators.OneVsRest(
            classifiers: classifiers, features: features, numFeatures: numFeatures, rawPrediction: nil,
            prediction: prediction, winnerProbability: probability) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (one_vs_rest): every model must be binary and read \(numFeatures) features")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [features]
        outputs = [prediction, probability].compactMap { $0 }.map { ColumnSpec($0, .double) }
    }

    /// The binary classifiers, one per class.
    var classifiers: [any ClassifierScorer] { kernel.classifiers }

    var inputType: ColumnType { .vector(kernel.numFeatures) }

    var details: [Fact] { [Fact("classes", "\(kernel.classifiers.count)"), Fact("features", "\(kernel.numFeatures)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        if kernel.prediction == nil && kernel.winnerProbability == nil { return }
        try kernel.apply(to: &frame, stage: stage)
    }
}
