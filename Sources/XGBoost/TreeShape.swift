/// One tree's structure, read from a JSON/UBJSON document or a legacy binary
/// model, and the checks that make it safe to hand to libxgboost 1.7.4,
/// which follows child indices without bounds checks (an out-of-range child
/// is a SIGSEGV, a cycle an endless loop, a split feature at or past
/// `num_feature` a read past the row).
struct TreeShape {
    var tree: Int
    var nodes: Int
    var left: [Int32]
    var right: [Int32]
    /// Parent of each node, without the binary format's is-left bit; the
    /// root's is -1 or Int32.max (XGBoost's masked "no parent").
    var parents: [Int32]
    /// Split feature of each node, without the binary format's default-left bit.
    var splitIndices: [Int32]
    var categorical: CategoricalSplits?

    func fail(_ node: Int, _ problem: String) -> XGBoostError {
        XGBoostError(.corruptModel, "tree \(tree), node \(node): \(problem)")
    }

    /// Walks the tree from node 0 without recursion: every split has two
    /// children in range, each node is reached once (no cycles, no self
    /// loops, no shared subtrees), parents agree with the children and split
    /// features lie below `numFeature`. Nodes not reached from the root are
    /// pruned (deleted) nodes; prediction never visits them, but libxgboost
    /// reads their parent at load, so they must be leaves with a parent in range.
    func check(numFeature: Int, categoryBudget: inout Int) throws(XGBoostError) {
        guard nodes >= 1, left.count == nodes, right.count == nodes, parents.count == nodes,
              splitIndices.count == nodes else {
            throw XGBoostError(.corruptModel, "tree \(tree): node arrays do not all have \(nodes) entries")
        }
        var reached = [Bool](repeating: false, count: nodes)
        reached[0] = true
        var pending = [0]
        while let node = pending.popLast() {
            let leftChild = left[node], rightChild = right[node]
            if leftChild == -1 {
                guard rightChild == -1 else { throw fail(node, "a leaf (left child -1) with right child \(rightChild)") }
                continue
            }
            for isRight in [false, true] {
                let child = isRight ? rightChild : leftChild
                let side = isRight ? "right" : "left"
                guard child >= 0 else {
                    throw fail(node, "\(side) child \(child) is negative on a split node")
                }
                guard child < nodes else {
                    throw fail(node, "\(side) child \(child) is out of range (the tree has \(nodes) nodes)")
                }
                let index = Int(child)
                guard index != node else { throw fail(node, "\(side) child is the node itself (a self loop)") }
                guard !reached[index] else {
                    throw fail(node, "\(side) child \(child) is reached a second time (a cycle or a shared subtree)")
                }
                reached[index] = true
                guard parents[index] == node else {
                    throw fail(index, "its parent is recorded as \(parents[index]) but node \(node) points to it")
                }
                pending.append(index)
            }
            let feature = splitIndices[node]
            guard feature >= 0, feature < numFeature else {
                throw fail(node, "split feature \(feature) is out of range (num_feature is \(numFeature))")
            }
        }
        guard parents[0] == -1 || parents[0] == Int32.max else {
            throw fail(0, "the root has parent \(parents[0])")
        }
        for node in 1..<nodes where !reached[node] {
            guard left[node] == -1, right[node] == -1 else {
                throw fail(node, "not reachable from the root and not a leaf")
            }
            guard parents[node] >= 0, parents[node] < nodes else {
                throw fail(node, "parent \(parents[node]) is out of range (the tree has \(nodes) nodes)")
            }
        }
        // libxgboost finds a right child at left + 1, whatever the file says
        // (XGBoost always writes siblings together): anything else would be
        // predicted differently from the tree the file describes.
        for node in 0..<nodes where reached[node] && left[node] != -1 && right[node] != left[node] + 1 {
            throw fail(node, "right child \(right[node]) does not follow left child \(left[node])")
        }
        try categorical?.check(self, budget: &categoryBudget)
    }
}
