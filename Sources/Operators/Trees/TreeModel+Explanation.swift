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
        for (index, (tree, definition)) in zip(trees, definitions).enumerated() {
            var copy = definition
            var cover = [Double](repeating: 0, count: tree.nodeCount)
            for node in 0..<tree.nodeCount {
                let stats = tree.stats[node]
                guard !stats.isEmpty else {
                    return refused("tree \(index) was saved without node statistics (MLeap bundles keep none at "
                                   + "splits), which explanations weigh splits by")
                }
                cover[node] = classifier ? stats.reduce(0, +) : stats[0]
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
}
