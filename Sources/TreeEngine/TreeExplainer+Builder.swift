/// Builds the explainer's flat node arrays tree by tree.
struct ShapBuilder<Value: EngineValue> {
    var nodes: [ShapNode<Value>] = []
    var leafValues: [Double] = []
    var trees: [ShapTree] = []
    var categorySets: [ShapCategories] = []
    var coefficients: [Double] = []
    var slotFeatures: [Int32] = []

    mutating func add(_ tree: TreeDefinition<Value>, index: Int, budget: inout Int) throws(TreeEngineError) {
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
        let base = nodes.count
        let width = tree.leafWidth
        for node in 0..<count {
            let isLeaf = tree.left[node] == -1
            var categories: Int32 = -1
            if let split = tree.categorical[node] {
                categories = Int32(categorySets.count)
                categorySets.append(ShapCategories(listed: Set(split.categories), listedGoRight: split.listedGoRight,
                                                   truncatesValues: split.truncatesValues))
            }
            var leaf: Int32 = -1
            if isLeaf {
                leaf = Int32(leafValues.count)
                leafValues += tree.leafValue[(node * width)..<((node + 1) * width)].map(Double.init)
            }
            nodes.append(ShapNode(
                left: isLeaf ? -1 : Int32(base) + tree.left[node], right: isLeaf ? -1 : Int32(base) + tree.right[node],
                feature: tree.feature[node], categories: categories, leaf: leaf, defaultLeft: tree.defaultLeft[node],
                threshold: tree.threshold[node], fraction: 1))
        }
        for node in 0..<count where tree.left[node] != -1 {
            for child in [Int(tree.left[node]), Int(tree.right[node])] {
                nodes[base + child].fraction = tree.cover[child] / tree.cover[node]
            }
        }
        let tabled = tabulate(root: base, budget: &budget)
        trees.append(ShapTree(root: base, group: tree.group, width: width, expected: expectedValues(tree), tabled: tabled))
    }

    /// The tree's expected value per output: each node's is its children's,
    /// weighed by their covers over its own (XGBoost's `FillNodeMeanValues`),
    /// children before parents.
    private func expectedValues(_ tree: TreeDefinition<Value>) -> [Double] {
        let width = tree.leafWidth
        var order: [Int] = []
        order.reserveCapacity(tree.nodeCount)
        var pending = [0]
        while let node = pending.popLast() {
            order.append(node)
            if tree.left[node] != -1 { pending += [Int(tree.left[node]), Int(tree.right[node])] }
        }
        var mean = [Double](repeating: 0, count: tree.nodeCount * width)
        for node in order.reversed() {
            let start = node * width
            guard tree.left[node] != -1 else {
                for k in 0..<width { mean[start + k] = Double(tree.leafValue[start + k]) }
                continue
            }
            let l = Int(tree.left[node]), r = Int(tree.right[node])
            for k in 0..<width {
                mean[start + k] = (mean[l * width + k] * tree.cover[l] + mean[r * width + k] * tree.cover[r]) / tree.cover[node]
            }
        }
        return Array(mean[0..<width])
    }
}
