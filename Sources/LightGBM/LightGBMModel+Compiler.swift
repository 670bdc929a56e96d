import ConveyorCore
import TreeEngine

/// How one feature's value is prepared for the engine, so that the engine's
/// rule (numeric: `x <= t` left, NaN the node's default way; categorical:
/// listed categories left, anything else right) gives what LightGBM's
/// `NumericalDecision` and `CategoricalDecision` give. LightGBM's predictor
/// first turns every |x| ≤ kZeroThreshold into 0 (`RowPairFunctionFromDenseMatric`).
enum InputMapping: Sendable, Equatable {
    /// |x| ≤ kZeroThreshold → 0. A missing_type None split sends NaN where
    /// 0 goes: its default direction is set to `0 <= t` at load.
    case plain
    /// missing_type Zero: NaN and |x| ≤ kZeroThreshold → missing (NaN).
    case zeroIsMissing
    /// Categorical: LightGBM casts to int, so −1 < x < 0 is category 0.
    case categorical

    /// LightGBM's kZeroThreshold: the float 1e-35f, compared as a double.
    static let zeroThreshold = Double(Float(1e-35))

    @inline(__always)
    func map(_ x: Double) -> Double {
        switch self {
        case .plain: return x.magnitude <= Self.zeroThreshold ? 0 : x
        case .zeroIsMissing: return x.isNaN || x.magnitude <= Self.zeroThreshold ? .nan : x
        case .categorical: return x > -1 && x < 0 ? 0 : x
        }
    }
}

extension LightGBMModel {
    /// Turns checked trees into the engine's trees and the per-feature input
    /// mapping; refuses features whose splits need conflicting mappings.
    struct Compiler {
        var inputs: [InputMapping]
        var ensemble: TreeEnsemble<Double>
        var linear: LinearKernel?
        var explainer: Result<TreeExplainer<Double>, ConveyorError>

        init(trees: [LightGBMTree], numFeature: Int, outputs: Int, source: String) throws(ConveyorError) {
            inputs = try Self.mappings(trees, numFeature: numFeature, source: source)
            try Self.checkLayoutSize(trees, source: source)
            let hasLinear = trees.contains { $0.linear != nil }
            var definitions: [TreeDefinition<Double>] = []
            definitions.reserveCapacity(trees.count)
            for (index, tree) in trees.enumerated() {
                // With linear leaves, each tree gives the index of its leaf, in an output of its own.
                let values = hasLinear ? tree.leafValue.indices.map(Double.init) : tree.leafValue
                definitions.append(Self.definition(tree, leaves: values, group: hasLinear ? index : index % outputs))
            }
            do {
                ensemble = try TreeEnsemble(
                    trees: definitions, numFeature: numFeature,
                    baseMargins: [Double](repeating: 0, count: hasLinear ? max(1, trees.count) : outputs),
                    rule: .lessOrEqual)
            } catch {
                throw ConveyorError(.modelCorrupt, "LightGBM model \(source): \(error.message)")
            }
            linear = hasLinear ? LinearKernel(trees: trees, outputs: outputs) : nil
            explainer = hasLinear
                ? .failure(ConveyorError(.unsupportedModel, "LightGBM model \(source) has linear trees, whose "
                                            + "contributions LightGBM does not define either"))
                : Self.explainer(definitions, numFeature: numFeature, outputs: outputs, source: source)
        }

        /// TreeSHAP over the same trees, weighed by the training counts.
        static func explainer(_ definitions: [TreeDefinition<Double>], numFeature: Int, outputs: Int,
                              source: String) -> Result<TreeExplainer<Double>, ConveyorError> {
            if let index = definitions.firstIndex(where: { $0.cover.isEmpty }) {
                return .failure(ConveyorError(.unsupportedModel, "LightGBM model \(source): tree \(index) has no "
                                                + "internal_count / leaf_count, which explanations weigh splits by"))
            }
            do {
                return .success(try TreeExplainer(trees: definitions, numFeature: numFeature,
                                                  baseMargins: [Double](repeating: 0, count: outputs), rule: .lessOrEqual))
            } catch {
                return .failure(ConveyorError(.unsupportedModel, "LightGBM model \(source): \(error.message)"))
            }
        }

        /// One mapping per feature, from the splits that read it.
        static func mappings(_ trees: [LightGBMTree], numFeature: Int,
                             source: String) throws(ConveyorError) -> [InputMapping] {
            var categorical = [Bool](repeating: false, count: numFeature)
            var numerical = [Bool](repeating: false, count: numFeature)
            var zero = [Bool](repeating: false, count: numFeature)
            for tree in trees {
                for node in tree.splitFeature.indices {
                    let feature = Int(tree.splitFeature[node])
                    if tree.isCategorical(node) {
                        categorical[feature] = true
                    } else {
                        numerical[feature] = true
                        if tree.missingType(node) == .zero { zero[feature] = true }
                    }
                }
            }
            // Under zero-is-missing a NaN-type split sees a zero as missing; LightGBM
            // compares it (0 <= t). The same only when the default way is that way.
            for (index, tree) in trees.enumerated() {
                for node in tree.splitFeature.indices where !tree.isCategorical(node) && tree.missingType(node) == .nan {
                    let feature = Int(tree.splitFeature[node])
                    guard !zero[feature] || tree.defaultLeft(node) == (0 <= tree.threshold[node]) else {
                        throw ConveyorError(
                            .unsupportedModel,
                            "LightGBM model \(source): tree \(index), node \(node): feature \(feature) has splits "
                                + "with missing_type Zero and NaN whose zeros go different ways")
                    }
                }
            }
            var result: [InputMapping] = []
            result.reserveCapacity(numFeature)
            for feature in 0..<numFeature {
                guard !(categorical[feature] && numerical[feature]) else {
                    throw ConveyorError(.unsupportedModel,
                                        "LightGBM model \(source): feature \(feature) has both categorical and numerical splits")
                }
                result.append(categorical[feature] ? .categorical : zero[feature] ? .zeroIsMissing : .plain)
            }
            return result
        }

        /// The nodes the engine will lay out, counted before it does: complete
        /// trees (depth ≤ 10, no categorical split) fill out to 2^(depth+1) − 1.
        static func checkLayoutSize(_ trees: [LightGBMTree], source: String) throws(ConveyorError) {
            var total = 0
            for tree in trees {
                let nodes = 2 * tree.numLeaves - 1
                let depth = tree.depth()
                let laidOut = tree.categories.isEmpty && depth <= TreeEnsemble<Double>.maxCompleteDepth
                    ? (1 << (depth + 1)) - 1 : nodes
                total += max(nodes, laidOut)
                guard total <= LightGBMLimits.maxLayoutNodes else {
                    throw LightGBMLimits.exceeded(source, "the trees' engine layout (nodes)", total,
                                                  LightGBMLimits.maxLayoutNodes, "maxLayoutNodes")
                }
            }
        }

        /// Internal node `i` stays `i`; leaf `j` becomes node `numLeaves - 1 + j`.
        static func definition(_ tree: LightGBMTree, leaves: [Double], group: Int) -> TreeDefinition<Double> {
            guard tree.numLeaves > 1 else {
                return TreeDefinition(left: [-1], right: [-1], feature: [0], threshold: [0], defaultLeft: [false],
                                      leafValue: leaves, group: group)
            }
            let splits = tree.numLeaves - 1
            let count = splits + tree.numLeaves
            func node(_ child: Int32) -> Int32 { child >= 0 ? child : Int32(splits) + ~child }
            var left = [Int32](repeating: -1, count: count)
            var right = [Int32](repeating: -1, count: count)
            var feature = [Int32](repeating: 0, count: count)
            var threshold = [Double](repeating: 0, count: count)
            var defaultLeft = [Bool](repeating: false, count: count)
            var leafValue = [Double](repeating: 0, count: count)
            var categorical: [Int: CategorySplit] = [:]
            for split in 0..<splits {
                left[split] = node(tree.leftChild[split])
                right[split] = node(tree.rightChild[split])
                feature[split] = tree.splitFeature[split]
                if let listed = tree.categories[split] {
                    // Listed categories go left; NaN, negatives and the rest go right.
                    categorical[split] = CategorySplit(categories: listed, listedGoRight: false, truncatesValues: true)
                    continue
                }
                threshold[split] = tree.threshold[split]
                switch tree.missingType(split) {
                case .none: defaultLeft[split] = 0 <= tree.threshold[split]  // NaN is compared as 0
                case .zero, .nan: defaultLeft[split] = tree.defaultLeft(split)
                }
            }
            for leaf in 0..<tree.numLeaves { leafValue[splits + leaf] = leaves[leaf] }
            return TreeDefinition(left: left, right: right, feature: feature, threshold: threshold,
                                  defaultLeft: defaultLeft, leafValue: leafValue, group: group, categorical: categorical,
                                  cover: tree.cover)
        }
    }
}
