import ConveyorCore

/// Tree regressors: one decision tree, a random forest (weighted mean of
/// the trees, as Spark averages them) or gradient-boosted trees (weighted
/// sum).
struct TreeEnsemble: NodeTransformer {
    enum Combine: Sendable { case single, mean, sum }

    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let trees: [DecisionTree]
    let weights: [Double]
    let combine: Combine
    let numFeatures: Int

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first,
              let prediction = node.output(port: "prediction") ?? node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features/prediction")
        }
        switch node.op {
        case "decision_tree_regression":
            trees = [try DecisionTree(files: node.files, node: node.name)]
            weights = [1]
            combine = .single
        default:
            let names = try node.attributes.strings("trees")
            trees = try names.map { try DecisionTree(files: node.files.subtree($0), node: node.name) }
            weights = node.attributes.has("tree_weights")
                ? try node.attributes.doubles("tree_weights") : [Double](repeating: 1, count: names.count)
            combine = node.op == "gbt_regression" ? .sum : .mean
            guard weights.count == trees.count, !trees.isEmpty else {
                throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)): \(trees.count) trees, \(weights.count) weights")
            }
        }
        numFeatures = try node.featureCount(trees)
        name = node.name
        op = node.op
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { .vector(numFeatures) }

    var details: [Fact] {
        [Fact("trees", "\(trees.count)"), Fact("features", "\(numFeatures)"),
         Fact("nodes", "\(trees.reduce(0) { $0 + $1.nodeCount })")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: numFeatures, stage: stage)
        var out = [Double](repeating: 0, count: block.rowCount)
        for row in 0..<out.count {
            let x = block.row(row)
            var sum = 0.0
            for (tree, weight) in zip(trees, weights) { sum += tree.predict(x) * weight }
            out[row] = combine == .mean ? sum / Double(trees.count) : sum
        }
        try frame.put(.doubles(outputs[0].name, out))
    }
}
