import ConveyorCore
import TreeEngine

/// Spark's tree models — DecisionTree, RandomForest and GBT, classifier and
/// regressor — on the tree engine in double precision, with the outputs
/// Spark computes from the leaves. Both format readers (Spark directories,
/// MLeap bundles) build this one kernel.
///
/// Each tree adds its leaf to the sums in tree order, as Spark's ensembles
/// add them: splits send `value <= threshold` left, NaN right (Spark's
/// `ContinuousSplit`), listed categories to their side (`CategoricalSplit`).
public struct TreeModel: Kernel {
    /// How the trees' leaves make the outputs.
    public enum Combination: Sendable {
        /// DecisionTreeRegressionModel, GBTRegressionModel: Σ weight · prediction.
        case sum
        /// RandomForestRegressionModel: Σ weight · prediction / trees.
        case mean
        /// DecisionTreeClassificationModel: raw = the leaf's class counts.
        case classCounts
        /// RandomForestClassificationModel: raw = Σ each leaf's counts
        /// divided by their total (tree weights unused, as in Spark).
        case votes
        /// GBTClassificationModel (log loss): m = Σ weight · prediction,
        /// raw = [−m, m], p₀ = 1 / (1 + e^(−2·raw₀)), p₁ = 1 − p₀.
        case logistic
    }

    /// Regressors write only `prediction`.
    public private(set) var columns: ClassifierColumns
    public let combination: Combination
    public let numFeatures: Int
    /// Classes of a classifier; 0 for a regressor.
    public let numClasses: Int
    public private(set) var thresholds: [Double]?
    public let treeCount: Int
    public let nodeCount: Int
    /// Spark's `leafCol`, when set: each tree's leaf index (`LeafOutput`).
    public let leaves: LeafOutput?
    let engine: TreeEnsemble<Double>
    /// TreeSHAP of what the model predicts, or why there is none.
    let explanation: Result<TreeExplainer<Double>, ConveyorError>

    /// `what` names the model in errors. Weights: one per tree.
    /// `conditionTables`: false always descends (tests cover both ways).
    public init(trees: [FittedTree], weights: [Double], combination: Combination, numFeatures: Int, numClasses: Int,
                columns: ClassifierColumns, thresholds: [Double]?, leafColumn: LeafOutput.Column? = nil,
                what: String, conditionTables: Bool = true) throws {
        func corrupt(_ message: String) -> ConveyorError { ConveyorError(.modelCorrupt, "\(what): \(message)") }
        guard !trees.isEmpty, weights.count == trees.count else {
            throw corrupt("\(trees.count) trees and \(weights.count) tree weights")
        }
        guard numFeatures >= 1, numFeatures <= TreeEnsemble<Double>.maxFeatures else {
            throw corrupt("the number of features (\(numFeatures)) is not in 1...\(TreeEnsemble<Double>.maxFeatures)")
        }
        let classifier: Bool
        switch combination {
        case .sum, .mean: classifier = false
        case .classCounts, .votes, .logistic: classifier = true
        }
        guard classifier ? (numClasses >= 1 && numClasses < 1 << 16) : numClasses == 0,
              combination != .logistic || numClasses == 2 else {
            throw corrupt("\(numClasses) classes for a \(combination) tree model")
        }
        guard thresholds.map({ $0.count == numClasses && classifier }) ?? true else {
            throw corrupt("\(thresholds?.count ?? 0) thresholds for \(numClasses) classes")
        }
        let width = Self.leafWidth(combination, classes: numClasses)
        var definitions: [TreeDefinition<Double>] = []
        definitions.reserveCapacity(trees.count)
        for (index, tree) in trees.enumerated() {
            let label = trees.count == 1 ? what : "\(what) tree \(index)"
            definitions.append(try Self.definition(tree, weight: weights[index], combination: combination,
                                                   width: width, what: label))
        }
        do {
            engine = try TreeEnsemble(trees: definitions, numFeature: numFeatures,
                                      baseMargins: [Double](repeating: 0, count: width), rule: .lessOrEqual,
                                      conditionTables: conditionTables)
        } catch {
            throw corrupt(error.message)
        }
        explanation = Self.explainer(trees, definitions, combination: combination, numFeatures: numFeatures,
                                     classes: numClasses, what: what)
        leaves = leafColumn.map { LeafOutput(column: $0, trees: definitions) }
        self.columns = columns
        self.combination = combination
        self.numFeatures = numFeatures
        self.numClasses = numClasses
        self.thresholds = thresholds
        treeCount = trees.count
        nodeCount = trees.reduce(0) { $0 + $1.nodeCount }
    }

    static func leafWidth(_ combination: Combination, classes: Int) -> Int {
        combination == .classCounts || combination == .votes ? classes : 1
    }

    /// The same model writing other columns, with other thresholds.
    public func writing(_ columns: ClassifierColumns, thresholds: [Double]?) -> TreeModel {
        var copy = self
        copy.columns = columns
        copy.thresholds = thresholds
        return copy
    }

    /// The engine's view of one tree: its leaves hold what they add to the
    /// sums, computed here once with Spark's arithmetic (`prediction ·
    /// weight`; `count / total` for votes).
    static func definition(_ tree: FittedTree, weight: Double, combination: Combination, width: Int,
                           what: String) throws -> TreeDefinition<Double> {
        let count = tree.nodeCount
        guard tree.right.count == count, tree.feature.count == count, tree.threshold.count == count,
              tree.prediction.count == count, tree.stats.count == count else {
            throw ConveyorError(.modelCorrupt, "\(what): node arrays differ in length")
        }
        var leaves = [Double](repeating: 0, count: count * width)
        for node in 0..<count where tree.left[node] == -1 {
            let stats = tree.stats[node]
            switch combination {
            case .sum, .mean, .logistic:
                leaves[node] = tree.prediction[node] * weight
            case .classCounts:
                for index in 0..<min(width, stats.count) { leaves[node * width + index] = stats[index] }
            case .votes:
                let total = stats.reduce(0, +)
                guard total != 0 else { continue }  // Spark skips such a tree's vote
                for index in 0..<min(width, stats.count) { leaves[node * width + index] = stats[index] / total }
            }
        }
        // A missing value is no listed category: it goes the unlisted way,
        // as NaN goes right at a continuous split.
        var defaultLeft = [Bool](repeating: false, count: count)
        var categorical: [Int: CategorySplit] = [:]
        for (node, listed) in tree.categories {
            if node >= 0 && node < count { defaultLeft[node] = !listed.listedGoLeft }
            var categories: [Int] = []
            for value in listed.values {
                guard let category = Int(exactly: value), category >= 0, category < CategorySplit.maxCategory else {
                    throw ConveyorError(
                        .unsupportedModel,
                        "\(what), node \(node): category \(value) is not an index in 0..<\(CategorySplit.maxCategory)")
                }
                categories.append(category)
            }
            categorical[node] = CategorySplit(categories: categories, listedGoRight: !listed.listedGoLeft)
        }
        return TreeDefinition(left: tree.left, right: tree.right, feature: tree.feature, threshold: tree.threshold,
                              defaultLeft: defaultLeft, leafValue: leaves, leafWidth: width, group: 0,
                              categorical: categorical)
    }
}
