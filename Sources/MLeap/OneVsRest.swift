import ConveyorCore

/// Spark's OneVsRestModel: one binary classifier per class (`model0`,
/// `model1`, … inside the node); the prediction is the class whose
/// classifier gives the largest rawPrediction(1) (the margin for logistic
/// regression; the first on ties), as Spark does. MLeap's runtime compares
/// probabilities instead, which differs only where σ saturates.
/// `probability` (MLeap's port) is the winner's positive-class probability.
struct OneVsRest: NodeTransformer {
    let name: String
    let op = "one_vs_rest"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let classifiers: [any ClassifierModel]
    let numFeatures: Int
    let predictionColumn: String?
    let probabilityColumn: String?

    init(_ node: BundleNode) throws {
        let count = try node.attributes.size("num_classes", minimum: 1)
        guard count > 0, let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (one_vs_rest) has no classes or no features input")
        }
        classifiers = try (0..<count).map { index in
            let child = try BundleNode.read(node.files.subtree("model\(index)"), fallbackName: "\(node.name)/model\(index)")
            let model = try TransformerFactory.classifierModel(child)
            guard model.numClasses == 2 else {
                throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (one_vs_rest): model\(index) is not binary")
            }
            return model
        }
        numFeatures = try node.attributes.optionalSize("num_features") ?? classifiers[0].numFeatures
        name = node.name
        inputNames = [features]
        predictionColumn = node.output(port: "prediction")
        probabilityColumn = node.output(port: "probability")
        outputs = [predictionColumn, probabilityColumn].compactMap { $0 }.map { ColumnSpec($0, .double) }
    }

    var inputType: ColumnType { .vector(numFeatures) }

    var details: [Fact] { [Fact("classes", "\(classifiers.count)"), Fact("features", "\(numFeatures)")] }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: numFeatures, stage: stage)
        var predictions = [Double](repeating: 0, count: block.rowCount)
        var probabilities = predictions
        var scratch = [0.0, 0.0]
        for row in 0..<block.rowCount {
            var best = 0
            var bestRaw = [0.0, 0.0]
            for (index, model) in classifiers.enumerated() {
                scratch[0] = 0
                scratch[1] = 0
                model.raw(block.row(row), into: &scratch)
                if index == 0 || scratch[1] > bestRaw[1] {
                    best = index
                    bestRaw = scratch
                }
            }
            predictions[row] = Double(best)
            if probabilityColumn != nil {
                classifiers[best].probability(&bestRaw)
                probabilities[row] = bestRaw[1]
            }
        }
        if let predictionColumn { try frame.put(.doubles(predictionColumn, predictions)) }
        if let probabilityColumn { try frame.put(.doubles(probabilityColumn, probabilities)) }
    }
}
