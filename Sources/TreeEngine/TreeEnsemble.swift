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
    /// Two key slots per feature must fit a UInt32 slot index.
    public static let maxFeatures = 1 << 30

    let trees: [CompiledTree]
    /// Complete trees: their internal nodes, then (in `leaves`) their leaves.
    let splits: [SplitNode]
    let leaves: [Float]
    /// Deeper trees: their nodes.
    let nodes: [WalkNode]

    /// `completeDepthLimit`: trees deeper than this are walked (tests set
    /// it lower to cover the walked layout with shallow models).
    public init(trees definitions: [TreeDefinition], numFeature: Int, baseMargins: [Float],
                completeDepthLimit: Int = TreeEnsemble.maxCompleteDepth) throws(TreeEngineError) {
        guard numFeature >= 1, numFeature <= Self.maxFeatures else {
            throw TreeEngineError("the engine needs 1 to \(Self.maxFeatures) features, not \(numFeature)")
        }
        guard !baseMargins.isEmpty else { throw TreeEngineError("no output groups") }
        var builder = Builder()
        var maxDepth = 0
        for (index, tree) in definitions.enumerated() {
            let depth = try tree.validatedDepth(numFeature: numFeature, groups: baseMargins.count, tree: index)
            maxDepth = max(maxDepth, depth)
            if depth <= min(completeDepthLimit, Self.maxCompleteDepth) {
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

/// A split of a complete tree: where its row key is and the threshold's key.
/// Packed in one word (slot in the low half, key in the high half) so a
/// descent can hold a node in a register and pick between two with a move.
struct SplitNode: Sendable {
    var packed: UInt64

    init(slot: UInt32, key: Int32) {
        packed = UInt64(slot) | UInt64(UInt32(bitPattern: key)) << 32
    }

    var slot: UInt32 { UInt32(truncatingIfNeeded: packed) }
    var key: Int32 { Int32(truncatingIfNeeded: packed >> 32) }
}

/// A node of a walked tree. A leaf has `left` -1 and its value in `value`;
/// a split's right child is `left + 1`.
struct WalkNode: Sendable {
    var slot: UInt32
    var key: Int32
    var left: Int32
    var value: Float
}

extension TreeEnsemble {
    /// Every split as (feature, threshold), for tools and tests that build
    /// inputs around the model's cut points (the complete layout's filler
    /// splits appear as feature 0 at 0).
    public func splitThresholds() -> [(feature: Int, threshold: Float)] {
        var result = splits.map { (Int($0.slot / 2), SplitKey.value(of: $0.key)) }
        for node in nodes where node.left >= 0 {
            result.append((Int(node.slot / 2), SplitKey.value(of: node.key)))
        }
        return result
    }
}
