/// A tree's categorical splits as JSON/UBJSON models store them: which nodes
/// split on categories (`split_type` 1, listed in `categories_nodes`) and, for
/// each, a segment of `categories`. libxgboost 1.7.4 indexes these arrays
/// without checks and allocates a bitfield of max-category bits per split.
struct CategoricalSplits {
    var splitTypes: [Int32]
    var nodes: [Int32]
    var segments: [Int32]
    var sizes: [Int32]
    var categories: [Int32]

    /// `budget`: bitfield bytes still allowed for the whole model.
    func check(_ tree: TreeShape, budget: inout Int) throws(XGBoostError) {
        guard splitTypes.count == tree.nodes else {
            throw XGBoostError(.corruptModel,
                               "tree \(tree.tree): split_type has \(splitTypes.count) entries but the tree has \(tree.nodes) nodes")
        }
        guard segments.count == nodes.count, sizes.count == nodes.count else {
            throw XGBoostError(.corruptModel, "tree \(tree.tree): categories_nodes, categories_segments and "
                + "categories_sizes have \(nodes.count), \(segments.count) and \(sizes.count) entries")
        }
        var categoricalNodes = 0
        for (node, type) in splitTypes.enumerated() {
            guard type == 0 || type == 1 else { throw tree.fail(node, "split_type \(type) is neither 0 nor 1") }
            if type == 1 { categoricalNodes += 1 }
        }
        guard categoricalNodes == nodes.count else {
            throw XGBoostError(.corruptModel, "tree \(tree.tree): \(categoricalNodes) nodes have split_type 1 "
                + "but categories_nodes lists \(nodes.count)")
        }
        var previous = -1
        for (position, rawNode) in nodes.enumerated() {
            let node = Int(rawNode)
            guard node > previous, node < tree.nodes else {
                throw XGBoostError(.corruptModel, "tree \(tree.tree): categories_nodes[\(position)] = \(node) is out "
                    + "of order or out of range (the tree has \(tree.nodes) nodes)")
            }
            previous = node
            guard splitTypes[node] == 1 else { throw tree.fail(node, "listed in categories_nodes but split_type is 0") }
            let start = Int(segments[position]), count = Int(sizes[position])
            guard start >= 0, count >= 1, start + count <= categories.count else {
                throw tree.fail(node, "categories segment \(start) of \(count) lies outside the "
                    + "\(categories.count) categories")
            }
            var largest: Int32 = 0
            for category in categories[start..<(start + count)] {
                guard category >= 0, category <= ModelLimits.maxCategory else {
                    throw tree.fail(node, "category \(category) is out of range (0 to \(ModelLimits.maxCategory), "
                        + "ModelLimits.maxCategory)")
                }
                largest = max(largest, category)
            }
            budget -= (Int(largest) / 32 + 1) * 4
            guard budget >= 0 else {
                throw tree.fail(node, "the categorical splits' bitfields exceed the limit of "
                    + "\(ModelLimits.maxCategoryBitfieldBytes) bytes (ModelLimits.maxCategoryBitfieldBytes)")
            }
        }
    }
}
