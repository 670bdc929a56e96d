import ConveyorCore
import Foundation

extension BundleNode {
    /// The trees of an ensemble node (`trees` names subfolders) and their weights.
    func ensembleTrees() throws -> (trees: [DecisionTree], weights: [Double]) {
        let names = try attributes.strings("trees")
        let trees = try names.map { try DecisionTree(files: files.subtree($0), node: name) }
        let weights = attributes.has("tree_weights")
            ? try attributes.doubles("tree_weights") : [Double](repeating: 1, count: names.count)
        guard weights.count == trees.count, !trees.isEmpty else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(name)' (\(op)): \(trees.count) trees, \(weights.count) weights")
        }
        return (trees, weights)
    }

    /// `num_features`, or what the first tree says; every split must read
    /// a feature inside it, since requests are checked against this width.
    func featureCount(_ trees: [DecisionTree]) throws -> Int {
        let count = try attributes.optionalSize("num_features") ?? trees.first?.numFeatures ?? 0
        if let widest = trees.map(\.maxFeature).max(), widest >= count {
            throw ConveyorError(
                .modelCorrupt, "MLeap node '\(name)' (\(op)): a tree splits on feature \(widest) of \(count)")
        }
        return count
    }
}

/// Spark's DecisionTreeClassificationModel: raw = the leaf's class counts,
/// probability = the counts normalized.
struct DecisionTreeClassifier: ClassifierModel {
    let tree: DecisionTree
    let numClasses: Int
    let numFeatures: Int

    init(_ node: BundleNode) throws {
        tree = try DecisionTree(files: node.files, node: node.name)
        numClasses = try node.attributes.size("num_classes", minimum: 1)
        numFeatures = try node.featureCount([tree])
    }

    var details: [Fact] { [Fact("trees", "1"), Fact("nodes", "\(tree.nodeCount)")] }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        let counts = tree.leafValues[tree.leaf(x)]
        for index in 0..<min(numClasses, counts.count) { raw[index] = counts[index] }
    }

    func probability(_ values: inout [Double]) { Classification.normalize(&values) }
}

/// Spark's RandomForestClassificationModel: each tree votes with its
/// normalized class counts (tree weights are not used, as in Spark);
/// probability = the votes normalized.
struct RandomForestClassifier: ClassifierModel {
    let trees: [DecisionTree]
    let numClasses: Int
    let numFeatures: Int

    init(_ node: BundleNode) throws {
        trees = try node.ensembleTrees().trees
        numClasses = try node.attributes.size("num_classes", minimum: 1)
        numFeatures = try node.featureCount(trees)
    }

    var details: [Fact] {
        [Fact("trees", "\(trees.count)"), Fact("nodes", "\(trees.reduce(0) { $0 + $1.nodeCount })")]
    }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        for tree in trees {
            let counts = tree.leafValues[tree.leaf(x)]
            let total = counts.reduce(0, +)
            guard total != 0 else { continue }
            for index in 0..<min(numClasses, counts.count) { raw[index] += counts[index] / total }
        }
    }

    func probability(_ values: inout [Double]) { Classification.normalize(&values) }
}

/// Spark's GBTClassificationModel (binary, log loss): margin m = Σ weight ·
/// tree; raw = [−m, m]; probability of class 1 = 1 / (1 + e^(−2m));
/// without thresholds the prediction is 1 when m > 0.
struct GBTClassifier: ClassifierModel {
    let trees: [DecisionTree]
    let weights: [Double]
    let numFeatures: Int
    var numClasses: Int { 2 }

    init(_ node: BundleNode) throws {
        (trees, weights) = try node.ensembleTrees()
        numFeatures = try node.featureCount(trees)
        if let declared = node.attributes["num_classes"]?.int, declared != 2 {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (gbt_classifier): only binary GBT classifiers exist; num_classes is \(declared)")
        }
    }

    var details: [Fact] {
        [Fact("trees", "\(trees.count)"), Fact("nodes", "\(trees.reduce(0) { $0 + $1.nodeCount })")]
    }

    func raw(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        var margin = 0.0
        for (tree, weight) in zip(trees, weights) { margin += tree.predict(x) * weight }
        raw[0] = -margin
        raw[1] = margin
    }

    func probability(_ values: inout [Double]) {
        let p0 = 1 / (1 + exp(-2 * values[0]))
        values[0] = p0
        values[1] = 1 - p0
    }

    func prediction(raw: [Double], probability: [Double]) -> Double { raw[1] > 0 ? 1 : 0 }
}
