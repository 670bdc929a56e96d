/// The leaves of a vector-leaf tree (`multi_strategy="multi_output_tree"`,
/// XGBoost 2.0+): each leaf adds one value per target. Read once here for
/// both the model check and the engine. XGBoost 2.x keeps a leaf's values
/// in `base_weights` (`width` per node); 3.x keeps them in `leaf_weights`
/// (`width` per leaf) and stores each leaf's slot there in its right child.
struct VectorLeaves {
    /// Values per leaf: the model's number of targets.
    let width: Int
    /// The right children with every leaf's set to -1, as in a scalar tree.
    let right: [Int32]
    /// `width` values per node, node after node; 0 on splits.
    let values: [Float]

    /// Reads and checks a tree's leaves; `left` and `right` have one entry
    /// per node (checked by the caller), a leaf has left child -1.
    init(_ tree: ModelValue, index: Int, nodes: Int, width: Int, left: [Int32],
         right: [Int32]) throws(XGBoostError) {
        func fail(_ problem: String) -> XGBoostError { ModelCheck.corrupt("tree \(index): \(problem)") }
        let (size, overflow) = nodes.multipliedReportingOverflow(by: width)
        // base_weights was read from the file: its length bounds what is allocated here.
        guard !overflow, let base = tree["base_weights"]?.arrayCount, base == size else {
            throw fail("base_weights must hold \(width) values for each of the \(nodes) nodes")
        }
        var values = [Float](repeating: 0, count: size)
        var normalized = right
        if let stored = tree["leaf_weights"] {
            // 3.x: a leaf's right child is its slot in leaf_weights.
            guard let weights = stored.floatItems, weights.count % width == 0 else {
                throw fail("leaf_weights is not \(width) numbers per leaf")
            }
            let slots = weights.count / width
            for node in 0..<nodes where left[node] == -1 {
                let slot = Int(right[node])
                guard slot >= 0, slot < slots else {
                    throw fail("leaf \(node) points to leaf_weights slot \(slot) of \(slots)")
                }
                for target in 0..<width { values[node * width + target] = weights[slot * width + target] }
                normalized[node] = -1
            }
        } else {
            // 2.x: base_weights holds every node's values, the leaves' included.
            guard let weights = tree["base_weights"]?.floatItems else { throw fail("base_weights is not numbers") }
            for node in 0..<nodes where left[node] == -1 {
                for target in 0..<width { values[node * width + target] = weights[node * width + target] }
            }
        }
        self.width = width
        self.right = normalized
        self.values = values
    }
}
