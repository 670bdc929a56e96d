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
public struct TreeExplainer<Value: EngineValue>: Sendable {
    public let numFeature: Int
    public let groups: Int
    /// The margin every output starts from (added to the bias).
    public let baseMargins: [Double]
    public let rule: SplitRule
    let trees: [ExplainedTree<Value>]
    /// Edges on the longest root-to-leaf path of any tree.
    let depth: Int

    /// The path state grows with the square of the depth and the walk
    /// recurses once per level: deeper trees are refused.
    public static var maxDepth: Int { 256 }

    /// Values per row: for each output, one per feature, then the bias.
    public var width: Int { groups * (numFeature + 1) }

    /// Every tree needs a cover per node: positive at splits (what the two
    /// sides are weighed against), finite and not negative at leaves.
    public init(trees definitions: [TreeDefinition<Value>], numFeature: Int, baseMargins: [Double],
                rule: SplitRule = .lessThan) throws(TreeEngineError) {
        guard numFeature >= 1, numFeature <= TreeEnsemble<Value>.maxFeatures else {
            throw TreeEngineError("the explainer needs 1 to \(TreeEnsemble<Value>.maxFeatures) features, not \(numFeature)")
        }
        guard !baseMargins.isEmpty else { throw TreeEngineError("no output groups") }
        var trees: [ExplainedTree<Value>] = []
        trees.reserveCapacity(definitions.count)
        var depth = 0
        for (index, tree) in definitions.enumerated() {
            let treeDepth = try tree.validatedDepth(numFeature: numFeature, groups: baseMargins.count,
                                                    leafWidth: tree.leafWidth, tree: index)
            guard treeDepth <= Self.maxDepth else {
                throw TreeEngineError("tree \(index) is \(treeDepth) levels deep; explanations support \(Self.maxDepth)")
            }
            trees.append(try ExplainedTree(tree, index: index))
            depth = max(depth, treeDepth)
        }
        self.numFeature = numFeature
        self.groups = baseMargins.count
        self.baseMargins = baseMargins
        self.rule = rule
        self.trees = trees
        self.depth = depth
    }
}

/// One tree as the explainer walks it: the definition's nodes with leaf
/// values, covers and each node's expected value in double.
struct ExplainedTree<Value: EngineValue>: Sendable {
    struct Categories: Sendable {
        var listed: Set<Int>
        var listedGoRight: Bool
        var truncatesValues: Bool
    }

    var left: [Int32]
    var right: [Int32]
    var feature: [Int32]
    var threshold: [Value]
    var defaultLeft: [Bool]
    var categories: [Int: Categories]
    var cover: [Double]
    /// `width` values per node: the leaf's own, at leaves.
    var leafValue: [Double]
    /// `width` values per node: the cover-weighted mean of the leaves below.
    var meanValue: [Double]
    var width: Int
    var group: Int

    init(_ tree: TreeDefinition<Value>, index: Int) throws(TreeEngineError) {
        let count = tree.nodeCount
        guard tree.cover.count == count else {
            throw TreeEngineError("tree \(index) has \(tree.cover.count) covers for \(count) nodes (explanations need the "
                                      + "training cover of every node)")
        }
        for node in 0..<count {
            let cover = tree.cover[node]
            let valid = tree.left[node] == -1 ? cover.isFinite && cover >= 0 : cover.isFinite && cover > 0
            guard valid else { throw TreeEngineError("tree \(index), node \(node): cover \(cover) cannot weigh a split") }
        }
        left = tree.left
        right = tree.right
        feature = tree.feature
        threshold = tree.threshold
        defaultLeft = tree.defaultLeft
        categories = tree.categorical.mapValues {
            Categories(listed: Set($0.categories), listedGoRight: $0.listedGoRight, truncatesValues: $0.truncatesValues)
        }
        cover = tree.cover
        leafValue = tree.leafValue.map(Double.init)
        width = tree.leafWidth
        group = tree.group
        meanValue = [Double](repeating: 0, count: leafValue.count)
        fillMeanValues()
    }

    /// Children before parents: a node's mean is its children's, weighed by
    /// their covers over its own (as XGBoost's `FillNodeMeanValues`).
    private mutating func fillMeanValues() {
        var order: [Int] = []
        order.reserveCapacity(left.count)
        var pending = [0]
        while let node = pending.popLast() {
            order.append(node)
            if left[node] != -1 { pending += [Int(left[node]), Int(right[node])] }
        }
        for node in order.reversed() {
            let base = node * width
            guard left[node] != -1 else {
                for k in 0..<width { meanValue[base + k] = leafValue[base + k] }
                continue
            }
            let l = Int(left[node]), r = Int(right[node])
            for k in 0..<width {
                meanValue[base + k] = (meanValue[l * width + k] * cover[l] + meanValue[r * width + k] * cover[r]) / cover[node]
            }
        }
    }

    /// Whether the row goes left at split `node`, as the engine decides.
    @inline(__always)
    func goesLeft(_ node: Int, _ row: UnsafeBufferPointer<Value>, rule: SplitRule) -> Bool {
        let value = row[Int(feature[node])]
        if value.isNaN { return defaultLeft[node] }
        if let categories = categories[node] {
            var listed = false
            if value >= 0, value < Value(CategorySplit.maxCategory),
               categories.truncatesValues || value.rounded(.towardZero) == value {
                listed = categories.listed.contains(Int(value))
            }
            return listed != categories.listedGoRight
        }
        return rule == .lessThan ? value < threshold[node] : value <= threshold[node]
    }
}
