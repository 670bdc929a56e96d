import ConveyorCore
import TreeEngine

extension TreeModel {
    /// What the explanation's outputs are: per class, Spark's probability
    /// for decision trees and random forests; the margin m (rawPrediction
    /// [−m, m], p₁ = σ(2m)) for a GBT classifier; the prediction for
    /// regressors. These are the values shap's TreeExplainer computes for
    /// Spark's models.
    public var explainedOutputs: Int { combination == .classCounts || combination == .votes ? numClasses : 1 }

    /// The model's TreeSHAP explainer, or why it has none.
    public func explainer() throws(ConveyorError) -> TreeExplainer<Double> { try explanation.get() }

    /// Path-dependent TreeSHAP of `rows` feature vectors (row-major, NaN
    /// missing): for each row and output, one value per feature then the
    /// expected value (`explainedOutputs × (numFeatures + 1)` per row).
    public func contributions(_ features: [Double], rows: Int) throws(ConveyorError) -> [Double] {
        let explainer = try explainer()
        let (count, overflow) = rows.multipliedReportingOverflow(by: numFeatures)
        guard rows >= 0, !overflow, features.count == count else {
            throw ConveyorError(.invalidInput, "\(features.count) values are not \(rows) rows of \(numFeatures) features")
        }
        return features.withUnsafeBufferPointer { explainer.contributions(rows: $0, count: rows) }
    }

    /// TreeSHAP of what shap's TreeExplainer explains for Spark's trees:
    /// each class's probability for decision trees and random forests, the
    /// margin m of a GBT classifier (its positive class: rawPrediction is
    /// [−m, m]), the prediction of a regressor (named `prediction`), on the
    /// columns `lineage` traces the features to; classes named by `labels`.
    public func explanation(_ frame: Frame, lineage: Lineage, labels: [String]?, prediction: String,
                            stage: String) throws -> Explanation {
        let values = try contributions(in: frame, stage: stage)
        let outputs: [String]
        if !isClassifier {
            outputs = [prediction.isEmpty ? "prediction" : prediction]
        } else {
            let classes = combination == .logistic ? [1] : Array(0..<numClasses)
            outputs = classes.map { index in labels.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)" }
        }
        let space = isClassifier && combination != .logistic ? "probability" : "margin"
        return Explanation.grouping(stage: stage, method: "tree_shap", space: space, outputs: outputs, rows: frame.rowCount,
                                    contributions: values, origins: lineage.origins(of: columns.features, width: numFeatures))
    }

    /// `contributions` of the frame's feature column (`columns.features`);
    /// a null row is explained as all missing.
    public func contributions(in frame: Frame, stage: String) throws -> [Double] {
        let (block, nulls) = try Inputs.vectors(frame, columns.features, width: numFeatures, stage: stage)
        var features = block.storage
        for (row, isNull) in (nulls ?? []).enumerated() where isNull {
            for index in (row * numFeatures)..<((row + 1) * numFeatures) { features[index] = .nan }
        }
        do {
            return try contributions(features, rows: block.rowCount)
        } catch {
            throw ConveyorError(.notExplainable, error.message, stage: stage)
        }
    }

    /// The trees as TreeSHAP needs them: the engine's decisions, each node's
    /// count (`impurityStats`: a classifier's class counts summed, a
    /// regression tree's first statistic) as its cover, and leaves holding
    /// what the explained output adds up from — a leaf's class
    /// probabilities (divided by the trees for a forest), or its weighted
    /// prediction (divided by the trees for a forest regressor).
    static func explainer(_ trees: [FittedTree], _ definitions: [TreeDefinition<Double>], combination: Combination,
                          numFeatures: Int, classes: Int, what: String) -> Result<TreeExplainer<Double>, ConveyorError> {
        func refused(_ message: String) -> Result<TreeExplainer<Double>, ConveyorError> {
            .failure(ConveyorError(.unsupportedModel, "\(what): \(message)"))
        }
        let classifier = combination == .classCounts || combination == .votes
        let width = classifier ? classes : 1
        let scale = combination == .votes || combination == .mean ? 1 / Double(trees.count) : 1
        var explained: [TreeDefinition<Double>] = []
        explained.reserveCapacity(definitions.count)
        if classifier, trees.allSatisfy({ Self.leafTotalsAreOne($0) }) {
            return refused("every leaf's class values add up to 1: they look like probabilities, not the class "
                           + "counts explanations weigh splits by")
        }
        for (index, (tree, definition)) in zip(trees, definitions).enumerated() {
            var copy = definition
            // A classifier saved without split statistics (MLeap keeps only
            // the leaves' class counts): a split's count is its leaves'.
            guard let cover = classifier ? Self.classCounts(tree) : Self.firstStatistics(tree) else {
                return refused("tree \(index) was saved without node statistics (MLeap's regression trees keep "
                               + "none), which explanations weigh splits by")
            }
            for node in 0..<tree.nodeCount {
                let stats = tree.stats[node]
                guard tree.left[node] == -1 else { continue }
                if classifier {
                    let total = cover[node]
                    guard total > 0 else { return refused("tree \(index), leaf \(node) saw no training rows") }
                    for slot in 0..<width {
                        copy.leafValue[node * width + slot] = (slot < stats.count ? stats[slot] : 0) / total * scale
                    }
                } else {
                    copy.leafValue[node] = definition.leafValue[node] * scale
                }
            }
            copy.cover = cover
            explained.append(copy)
        }
        do {
            return .success(try TreeExplainer(trees: explained, numFeature: numFeatures,
                                              baseMargins: [Double](repeating: 0, count: width), rule: .lessOrEqual))
        } catch {
            return refused(error.message)
        }
    }

    /// Each node's count: its class counts summed, or for a split saved
    /// without them, its children's counts (children come after their
    /// parent, so a backward pass sees them first). Nil when a leaf has none.
    static func classCounts(_ tree: FittedTree) -> [Double]? {
        var cover = [Double](repeating: 0, count: tree.nodeCount)
        for node in stride(from: tree.nodeCount - 1, through: 0, by: -1) {
            let stats = tree.stats[node]
            if !stats.isEmpty {
                cover[node] = stats.reduce(0, +)
            } else {
                let left = Int(tree.left[node]), right = Int(tree.right[node])
                guard left > node, right > node, left < tree.nodeCount, right < tree.nodeCount else { return nil }
                cover[node] = cover[left] + cover[right]
            }
        }
        return cover
    }

    /// Each node's first statistic (a regression tree's count); nil when a node has none.
    static func firstStatistics(_ tree: FittedTree) -> [Double]? {
        var cover: [Double] = []
        cover.reserveCapacity(tree.nodeCount)
        for stats in tree.stats {
            guard let first = stats.first else { return nil }
            cover.append(first)
        }
        return cover
    }

    /// Whether every leaf's class values add up to 1 (±1e-9).
    static func leafTotalsAreOne(_ tree: FittedTree) -> Bool {
        (0..<tree.nodeCount).allSatisfy { tree.left[$0] != -1 || abs(tree.stats[$0].reduce(0, +) - 1) < 1e-9 }
    }
}
