import ConveyorCore
import Operators

extension BundleNode {
    /// The node's trees — one (`tree.json` in the node) or an ensemble
    /// (`trees` names subfolders, with `tree_weights`) — as the tree kernel.
    func treeModel(_ combination: Operators.TreeModel.Combination, classes: Int,
                   columns: ClassifierColumns) throws -> Operators.TreeModel {
        var trees: [FittedTree] = []
        var firstWidth: Int?
        let weights: [Double]
        if op.hasPrefix("decision_tree") {
            let (tree, width) = try FittedTree.mleap(files: files)
            trees = [tree]
            firstWidth = width
            weights = [1]
        } else {
            let names = try attributes.strings("trees")
            for name in names {
                let (tree, width) = try FittedTree.mleap(files: files.subtree(name))
                trees.append(tree)
                firstWidth = firstWidth ?? width
            }
            weights = attributes.has("tree_weights")
                ? try attributes.doubles("tree_weights") : [Double](repeating: 1, count: names.count)
            guard weights.count == trees.count, !trees.isEmpty else {
                throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)): \(trees.count) trees, \(weights.count) weights")
            }
        }
        // `num_features`, or what the first tree says; every split must read
        // a feature inside it, since requests are checked against this width.
        let width = try attributes.optionalSize("num_features") ?? firstWidth ?? 0
        if let widest = trees.map(\.maxFeature).max(), widest >= width {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)): a tree splits on feature \(widest) of \(width)")
        }
        return try Operators.TreeModel(trees: trees, weights: weights, combination: combination, numFeatures: width,
                                       numClasses: classes, columns: columns, thresholds: nil,
                                       what: "MLeap node '\(name)' (\(op))")
    }
}

/// decision_tree_classifier, random_forest_classifier and gbt_classifier:
/// the tree kernel behind the classifier node's ports.
struct TreeClassifier: ClassifierModel {
    let kernel: Operators.TreeModel

    init(_ node: BundleNode) throws {
        let unnamed = ClassifierColumns(features: "", rawPrediction: nil, probability: nil, prediction: nil)
        switch node.op {
        case "gbt_classifier":
            if let declared = node.attributes["num_classes"]?.int, declared != 2 {
                throw ConveyorError(
                    .unsupportedModel,
                    "MLeap node '\(node.name)' (gbt_classifier): only binary GBT classifiers exist; num_classes is \(declared)")
            }
            kernel = try node.treeModel(.logistic, classes: 2, columns: unnamed)
        default:
            let classes = try node.attributes.size("num_classes", minimum: 1)
            kernel = try node.treeModel(node.op == "random_forest_classifier" ? .votes : .classCounts,
                                        classes: classes, columns: unnamed)
        }
    }

    var numClasses: Int { kernel.numClasses }
    var numFeatures: Int { kernel.numFeatures }

    var details: [Fact] { [Fact("trees", "\(kernel.treeCount)"), Fact("nodes", "\(kernel.nodeCount)")] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) { kernel.rawPrediction(x, into: &raw) }

    func probability(_ values: inout [Double]) { kernel.probability(&values) }

    /// Spark's rule without thresholds when only raw predictions are at
    /// hand: the argmax of the raw prediction (for GBT, margin > 0).
    func prediction(raw: [Double], probability: [Double]) -> Double { Double(Classification.argmax(raw)) }

    func columnKernel(_ ports: ClassifierPorts) -> (any Kernel)? {
        kernel.writing(ClassifierColumns(features: ports.features, rawPrediction: ports.raw,
                                         probability: ports.probability, prediction: ports.prediction),
                       thresholds: ports.thresholds)
    }
}

/// decision_tree_regression, random_forest_regression (the mean of the
/// weighted trees, as Spark averages them) and gbt_regression (their sum).
struct TreeRegression: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.TreeModel

    init(_ node: BundleNode) throws {
        let (features, prediction) = try node.featuresAndPrediction()
        kernel = try node.treeModel(
            node.op == "random_forest_regression" ? .mean : .sum, classes: 0,
            columns: ClassifierColumns(features: features, rawPrediction: nil, probability: nil, prediction: prediction))
        name = node.name
        op = node.op
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { .vector(kernel.numFeatures) }

    var details: [Fact] {
        [Fact("trees", "\(kernel.treeCount)"), Fact("features", "\(kernel.numFeatures)"),
         Fact("nodes", "\(kernel.nodeCount)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
