/// A tree ensemble compiled for fast evaluation: the sum, per output group,
/// of a base margin and one leaf value from every tree, in float32 and in
/// tree order (the order XGBoost's CPU predictor adds them, so the result
/// has the same bits).
///
/// Shallow trees are stored as complete binary trees (a leaf above the
/// bottom is copied into every leaf below it), so a row descends in exactly
/// `depth` branch-free steps; deeper trees keep their own nodes, renumbered
/// so that a split's right child follows its left one.
public struct TreeEnsemble: Sendable {
    public let numFeature: Int
    public let groups: Int
    /// The margin every output starts from, one per group.
    public let baseMargins: [Float]
    public let treeCount: Int
    /// Edges on the longest root-to-leaf path of any tree.
    public let maxDepth: Int

    /// Trees up to this depth use the complete layout: at most 2^depth
    /// leaves each.
    public static let maxCompleteDepth = 10

    let trees: [CompiledTree]
    /// Complete trees: per internal node, the feature index with the
    /// default-right flag in the top bit, and the threshold.
    let splits: [UInt32]
    let thresholds: [Float]
    let leaves: [Float]
    /// Deeper trees: their nodes.
    let nodes: [WalkNode]

    public init(trees definitions: [TreeDefinition], numFeature: Int, baseMargins: [Float]) throws(TreeEngineError) {
        guard numFeature >= 1, numFeature < Int(WalkNode.featureMask) else {
            throw TreeEngineError("the engine needs 1 to \(WalkNode.featureMask - 1) features, not \(numFeature)")
        }
        guard !baseMargins.isEmpty else { throw TreeEngineError("no output groups") }
        var builder = Builder()
        var maxDepth = 0
        for (index, tree) in definitions.enumerated() {
            let depth = try tree.validatedDepth(numFeature: numFeature, groups: baseMargins.count, tree: index)
            maxDepth = max(maxDepth, depth)
            if depth <= Self.maxCompleteDepth {
                builder.addComplete(tree, depth: depth)
            } else {
                builder.addWalk(tree, depth: depth)
            }
        }
        self.numFeature = numFeature
        self.groups = baseMargins.count
        self.baseMargins = baseMargins
        self.treeCount = definitions.count
        self.maxDepth = maxDepth
        self.trees = builder.trees
        self.splits = builder.splits
        self.thresholds = builder.thresholds
        self.leaves = builder.leaves
        self.nodes = builder.nodes
    }
}

/// Where one tree's nodes are and how to walk it.
struct CompiledTree: Sendable {
    var complete: Bool
    var depth: Int32
    var group: Int32
    /// Complete trees: first internal node in `splits`/`thresholds` and
    /// first leaf in `leaves`. Walked trees: first node in `nodes`.
    var nodeBase: Int32
    var leafBase: Int32
}

/// A node of a walked tree. A leaf has `left` -1 and its value in `value`;
/// a split's right child is `left + 1`.
struct WalkNode: Sendable {
    static let featureMask: UInt32 = 0x7FFF_FFFF
    static let defaultRightBit: UInt32 = 0x8000_0000

    var split: UInt32
    var value: Float
    var left: Int32
}

extension UInt32 {
    /// A feature index with the default-right flag in its top bit.
    init(feature: Int32, defaultLeft: Bool) {
        self = UInt32(feature) | (defaultLeft ? 0 : WalkNode.defaultRightBit)
    }
}

extension TreeEnsemble {
    /// Every split as (feature, threshold), for tools and tests that build
    /// inputs around the model's cut points (the complete layout's filler
    /// splits appear as feature 0 at 0).
    public func splitThresholds() -> [(feature: Int, threshold: Float)] {
        var result = zip(splits, thresholds).map { (Int($0 & WalkNode.featureMask), $1) }
        for node in nodes where node.left >= 0 {
            result.append((Int(node.split & WalkNode.featureMask), node.value))
        }
        return result
    }
}
