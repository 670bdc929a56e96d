/// A tree ensemble compiled for fast evaluation: the sum, per output, of a
/// base margin and the leaf values of every tree, in `Value` precision and
/// in tree order (for XGBoost, the order its CPU predictor adds them in
/// float32, so the result has the same bits; for Spark, the order its
/// ensembles add in double).
///
/// Shallow trees without categorical splits are stored as complete binary
/// trees (a leaf above the bottom is copied into every leaf below it), so a
/// row descends in exactly `depth` branch-free steps; other trees keep
/// their own nodes, renumbered so that a split's right child follows its
/// left one.
public struct TreeEnsemble<Value: EngineValue>: Sendable {
    public let numFeature: Int
    public let groups: Int
    /// The margin every output starts from, one per group.
    public let baseMargins: [Value]
    public let treeCount: Int
    /// Edges on the longest root-to-leaf path of any tree.
    public let maxDepth: Int
    /// Values each leaf adds (one per output it reaches).
    public let leafWidth: Int
    public let rule: SplitRule

    /// Trees up to this depth use the complete layout: at most 2^depth
    /// leaves each.
    public static var maxCompleteDepth: Int { 10 }
    /// Two key slots per feature must fit a UInt32 slot index whose top
    /// bit marks categorical splits.
    public static var maxFeatures: Int { 1 << 30 }

    let trees: [CompiledTree]
    /// Complete trees: their internal nodes, then (in `leaves`) their leaves.
    let splits: [Value.Split]
    /// Leaf values, `leafWidth` per leaf, of both layouts.
    let leaves: [Value]
    /// Walked trees: their nodes.
    let nodes: [WalkNode<Value.Key>]
    let categorySets: [CategorySet]
    let categoryWords: [UInt64]
    /// The same trees as tables, when their conditions are few.
    let tables: ConditionTables<Value>?

    /// Whether rows are evaluated through condition tables (see
    /// `ConditionTables`) rather than by descending each tree.
    public var usesConditionTables: Bool { tables != nil }

    /// How rows go through the trees, for `conveyor inspect`.
    public var evaluation: String {
        guard let tables else { return "descent, tree by tree" }
        return "condition tables (\(tables.conditionCount) distinct split conditions)"
    }

    /// `completeDepthLimit`: trees deeper than this are walked (tests set
    /// it lower to cover the walked layout with shallow models).
    /// `conditionTables`: false always descends (tests compare both ways).
    /// Every tree's leaves must hold the same number of values (the first
    /// tree's `leafWidth`).
    public init(trees definitions: [TreeDefinition<Value>], numFeature: Int, baseMargins: [Value],
                rule: SplitRule = .lessThan,
                completeDepthLimit: Int = TreeEnsemble.maxCompleteDepth,
                conditionTables: Bool = true) throws(TreeEngineError) {
        guard numFeature >= 1, numFeature <= Self.maxFeatures else {
            throw TreeEngineError("the engine needs 1 to \(Self.maxFeatures) features, not \(numFeature)")
        }
        guard !baseMargins.isEmpty else { throw TreeEngineError("no output groups") }
        let leafWidth = definitions.first?.leafWidth ?? 1
        guard leafWidth >= 1, leafWidth <= baseMargins.count else {
            throw TreeEngineError("leaves of \(leafWidth) values for \(baseMargins.count) outputs")
        }
        var builder = Builder(rule: rule, leafWidth: leafWidth)
        var maxDepth = 0
        for (index, tree) in definitions.enumerated() {
            let depth = try tree.validatedDepth(numFeature: numFeature, groups: baseMargins.count,
                                                leafWidth: leafWidth, tree: index)
            maxDepth = max(maxDepth, depth)
            if depth <= min(completeDepthLimit, Self.maxCompleteDepth), tree.categorical.isEmpty {
                builder.addComplete(tree, depth: depth)
            } else {
                try builder.addWalk(tree)
            }
        }
        guard builder.leaves.count < Int(UInt32.max) else { throw TreeEngineError("too many leaf values") }
        self.numFeature = numFeature
        self.groups = baseMargins.count
        self.baseMargins = baseMargins
        self.treeCount = definitions.count
        self.maxDepth = maxDepth
        self.leafWidth = leafWidth
        self.rule = rule
        self.trees = builder.trees
        self.splits = builder.splits
        self.leaves = builder.leaves
        self.nodes = builder.nodes
        self.categorySets = builder.categorySets
        self.categoryWords = builder.categoryWords
        self.tables = conditionTables ? ConditionTables(definitions, rule: rule) : nil
    }
}

/// Where one tree's nodes are and how to walk it.
struct CompiledTree: Sendable {
    var complete: Bool
    var depth: Int32
    var group: Int32
    /// Complete trees: first internal node in `splits` and first leaf
    /// position (in leaves, not values) in `leaves`. Walked trees: first
    /// node in `nodes`.
    var nodeBase: Int32
    var leafBase: Int32
}

/// A node of a walked tree. A leaf has `left` -1 and its first value at
/// `slot` in `leaves`. A split's right child is `left + 1`; it compares the
/// row's key in `slot` with `key`, unless the top bit of `slot` is set: a
/// categorical split, `key` then indexes `categorySets`.
struct WalkNode<Key: Sendable>: Sendable {
    var slot: UInt32
    var left: Int32
    var key: Key

    static var categorical: UInt32 { 0x8000_0000 }
}

/// A categorical split's bit set (in `categoryWords`) and the way its
/// listed categories and missing values go.
struct CategorySet: Sendable {
    var firstWord: Int
    var bits: Int
    var listedGoRight: Bool
    var missingGoesRight: Bool
    var truncatesValues: Bool
}

extension TreeEnsemble {
    /// Every numeric split as (feature, threshold), for tools and tests that
    /// build inputs around the model's cut points (the complete layout's
    /// filler splits appear as feature 0 at 0).
    public func splitThresholds() -> [(feature: Int, threshold: Value)] {
        let shift: Value.Key = rule == .lessOrEqual ? 1 : 0
        var result = splits.map { (Int(Value.slot(of: $0) / 2), Value.value(ofKey: Value.key(of: $0) &- shift)) }
        for node in nodes where node.left >= 0 && node.slot & WalkNode<Value.Key>.categorical == 0 {
            result.append((Int(node.slot / 2), Value.value(ofKey: node.key &- shift)))
        }
        return result
    }
}
