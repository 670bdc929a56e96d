/// Exact per-feature attributions of a tree ensemble's margins: path-dependent
/// TreeSHAP (Lundberg, Erion & Lee, "Consistent individualized feature
/// attribution for tree ensembles", 2018, Algorithm 2), the values XGBoost's
/// `pred_contribs` and shap's `TreeExplainer` (tree-path-dependent
/// perturbation) compute. For one row and each output, every feature gets a
/// contribution and the bias the expected margin (leaf values weighted by
/// the training data each node saw, the trees' covers, plus the base
/// margin); bias + Σ contributions = the margin the ensemble predicts.
///
/// Computed in double whatever the ensemble's precision (XGBoost computes
/// in float32, so values agree to float rounding, not bit for bit). The
/// decisions themselves use the ensemble's precision and rules, so each row
/// follows exactly the path the engine predicts with.
///
/// All trees live in one node array (children as absolute indices, each
/// node with the fraction of its parent's cover it holds), so a row's walk
/// touches two contiguous buffers and no per-tree storage.
public struct TreeExplainer<Value: EngineValue>: Sendable {
    public let numFeature: Int
    public let groups: Int
    /// The margin every output starts from (added to the bias).
    public let baseMargins: [Double]
    public let rule: SplitRule
    let nodes: [ShapNode<Value>]
    /// Leaf values, `width` per leaf of each tree, where `ShapNode.leaf` points.
    let leafValues: [Double]
    let trees: [ShapTree]
    /// The categories of categorical splits, where `ShapNode.categories` points.
    let categorySets: [ShapCategories]
    /// Edges on the longest root-to-leaf path of any tree.
    let depth: Int
    /// 1/k for k = 0…depth + 2 (0 for k = 0): the walk multiplies instead of dividing.
    let reciprocals: [Double]
    /// The tabled trees' leaf coefficients and slot features (`ShapTable`).
    let coefficients: [Double]
    let slotFeatures: [Int32]

    /// The path state grows with the square of the depth and the walk
    /// recurses once per level: deeper trees are refused.
    public static var maxDepth: Int { 256 }

    /// Values per row: for each output, one per feature, then the bias.
    public var width: Int { groups * (numFeature + 1) }

    /// Every tree needs a cover per node: positive at splits (what the two
    /// sides are weighed against), finite and not negative at leaves.
    public init(trees definitions: [TreeDefinition<Value>], numFeature: Int, baseMargins: [Double],
                rule: SplitRule = .lessThan) throws(TreeEngineError) {
        try self.init(trees: definitions, numFeature: numFeature, baseMargins: baseMargins, rule: rule,
                      tableBudget: ShapTable.maxValues)
    }

    /// `tableBudget`: how many `ShapTable` coefficients the trees may take;
    /// trees past it are walked with Algorithm 2 (0: every tree is).
    init(trees definitions: [TreeDefinition<Value>], numFeature: Int, baseMargins: [Double],
         rule: SplitRule, tableBudget: Int) throws(TreeEngineError) {
        guard numFeature >= 1, numFeature <= TreeEnsemble<Value>.maxFeatures else {
            throw TreeEngineError("the explainer needs 1 to \(TreeEnsemble<Value>.maxFeatures) features, not \(numFeature)")
        }
        guard !baseMargins.isEmpty else { throw TreeEngineError("no output groups") }
        var builder = ShapBuilder<Value>()
        var budget = tableBudget
        var depth = 0
        for (index, tree) in definitions.enumerated() {
            let treeDepth = try tree.validatedDepth(numFeature: numFeature, groups: baseMargins.count,
                                                    leafWidth: tree.leafWidth, tree: index)
            guard treeDepth <= Self.maxDepth else {
                throw TreeEngineError("tree \(index) is \(treeDepth) levels deep; explanations support \(Self.maxDepth)")
            }
            try builder.add(tree, index: index, budget: &budget)
            depth = max(depth, treeDepth)
        }
        guard builder.nodes.count < Int(Int32.max), builder.leafValues.count < Int(Int32.max),
              builder.slotFeatures.count < Int(Int32.max) else {
            throw TreeEngineError("too many nodes to explain")
        }
        self.numFeature = numFeature
        self.groups = baseMargins.count
        self.baseMargins = baseMargins
        self.rule = rule
        self.nodes = builder.nodes
        self.leafValues = builder.leafValues
        self.trees = builder.trees
        self.categorySets = builder.categorySets
        self.depth = depth
        self.reciprocals = (0...(depth + 2)).map { $0 == 0 ? 0 : 1 / Double($0) }
        self.coefficients = builder.coefficients
        self.slotFeatures = builder.slotFeatures
    }
}

/// One node of any tree. A leaf has `left` -1 and its values at `leaf`.
struct ShapNode<Value: EngineValue>: Sendable {
    var left: Int32
    var right: Int32
    var feature: Int32
    /// Index into `categorySets`, or -1 for a numeric split.
    var categories: Int32
    var leaf: Int32
    var defaultLeft: Bool
    var threshold: Value
    /// This node's cover over its parent's: the share of training data that
    /// comes down to it (1 at a root).
    var fraction: Double
    /// In tabled trees (`ShapTable`): a split's slot among the distinct
    /// features on the way to it; a leaf's count of them and where its
    /// coefficients and slot features start.
    var slot: Int32 = 0
    var pathWidth: Int32 = 0
    var tableStart: Int32 = 0
    var featureStart: Int32 = 0
}

/// Where a tree starts and what it adds: its root, its first output, its
/// leaves' width and its expected value per output (the bias part).
struct ShapTree: Sendable {
    var root: Int
    var group: Int
    var width: Int
    var expected: [Double]
    /// Whether its leaves have `ShapTable` coefficients.
    var tabled = false
}

struct ShapCategories: Sendable {
    var listed: Set<Int>
    var listedGoRight: Bool
    var truncatesValues: Bool
}
