extension ModelCheck {
    /// Arrays libxgboost reads one entry per node from; a short one is read
    /// past its end.
    static let floatArrays = ["loss_changes", "sum_hessian", "base_weights", "split_conditions"]

    /// Reads one tree object of the `trees` array into a `TreeShape`,
    /// checking that every per-node array has one entry per node (a
    /// vector-leaf tree: `groups` leaf values per node, `VectorLeaves`).
    static func shape(of tree: ModelValue, index: Int, groups: Int) throws(XGBoostError) -> TreeShape {
        func fail(_ problem: String) -> XGBoostError { corrupt("tree \(index): \(problem)") }
        guard case .object = tree else { throw fail("not an object") }
        // libxgboost places each tree at its `id`: a duplicate leaves a hole.
        guard let id = tree["id"]?.integer, id == index else {
            throw fail("id \(tree["id"]?.integer.map(String.init) ?? "missing") differs from its position")
        }
        let parameters = tree["tree_param"]
        let nodes = try parameter(parameters?["num_nodes"], "tree \(index): num_nodes",
                                  in: 1...ModelLimits.maxTreeNodes, limitName: "maxTreeNodes")
        let leafWidth = max(parameters?["size_leaf_vector"]?.integer ?? 1, 1)
        guard leafWidth == 1 || leafWidth == groups else {
            throw fail("size_leaf_vector \(leafWidth) differs from the model's \(groups) outputs")
        }
        for name in floatArrays {
            // Vector-leaf trees: base_weights is per target (`VectorLeaves`);
            // 2.x writes no loss_changes or sum_hessian for them.
            if leafWidth > 1 && name == "base_weights" { continue }
            guard let count = tree[name]?.arrayCount else {
                if leafWidth > 1 && name != "split_conditions" { continue }
                throw fail("\(name) is missing")
            }
            guard count == nodes else { throw fail("\(name) has \(count) entries but num_nodes is \(nodes)") }
        }
        func integers(_ name: String) throws(XGBoostError) -> [Int32] {
            guard let value = tree[name] else { throw fail("\(name) is missing") }
            guard let values = value.int32Items else { throw fail("\(name) is not an array of integers") }
            return values
        }
        func nodeArray(_ name: String) throws(XGBoostError) -> [Int32] {
            let values = try integers(name)
            guard values.count == nodes else {
                throw fail("\(name) has \(values.count) entries but num_nodes is \(nodes)")
            }
            return values
        }
        _ = try nodeArray("default_left")
        let left = try nodeArray("left_children")
        var right = try nodeArray("right_children")
        if leafWidth > 1 {
            right = try VectorLeaves(tree, index: index, nodes: nodes, width: leafWidth, left: left, right: right).right
            if let types = tree["split_type"]?.int32Items, types.contains(where: { $0 != 0 }) {
                throw XGBoostError(.unsupportedModel,
                                   "tree \(index): categorical splits in a vector-leaf tree are not supported")
            }
        }
        var shape = TreeShape(tree: index, nodes: nodes, left: left, right: right,
                              parents: try nodeArray("parents"), splitIndices: try nodeArray("split_indices"),
                              categorical: nil)
        // libxgboost reads the categorical arrays whenever split_type is present.
        if tree["split_type"] != nil {
            shape.categorical = CategoricalSplits(
                splitTypes: try integers("split_type"), nodes: try integers("categories_nodes"),
                segments: try integers("categories_segments"), sizes: try integers("categories_sizes"),
                categories: try integers("categories"))
        }
        return shape
    }
}
