extension TreeEnsemble {
    /// Lays trees out one after the other in the shared arrays.
    struct Builder {
        var trees: [CompiledTree] = []
        var splits: [SplitNode] = []
        var leaves: [Float] = []
        var nodes: [WalkNode] = []

        /// The complete layout: internal node `i` has children `2i+1` and
        /// `2i+2`; the leaves follow the `2^depth - 1` internal nodes. A leaf
        /// above the bottom becomes splits on feature 0 whose every leaf
        /// holds its value, so any way down gives that value.
        mutating func addComplete(_ tree: TreeDefinition, depth: Int) {
            let splitCount = (1 << depth) - 1
            trees.append(CompiledTree(complete: true, depth: Int32(depth), group: Int32(tree.group),
                                      nodeBase: Int32(splits.count), leafBase: Int32(leaves.count)))
            let splitBase = splits.count, leafBase = leaves.count
            splits.append(contentsOf: repeatElement(SplitNode(slot: 0, key: 0), count: splitCount))
            leaves.append(contentsOf: repeatElement(0, count: splitCount + 1))
            var pending: [(node: Int, position: Int, level: Int)] = [(0, 0, 0)]
            while let (node, position, level) = pending.popLast() {
                if tree.left[node] == -1 {
                    // Every bottom position under `position` gets the value.
                    let span = 1 << (depth - level)
                    let first = (position + 1) * span - 1 - splitCount
                    for leaf in first..<(first + span) { leaves[leafBase + leaf] = tree.leafValue[node] }
                    continue
                }
                splits[splitBase + position] = SplitNode(
                    slot: SplitKey.slot(feature: tree.feature[node], defaultLeft: tree.defaultLeft[node]),
                    key: SplitKey.key(tree.threshold[node]))
                pending.append((Int(tree.left[node]), 2 * position + 1, level + 1))
                pending.append((Int(tree.right[node]), 2 * position + 2, level + 1))
            }
        }

        /// The walked layout, breadth first so that siblings sit together.
        mutating func addWalk(_ tree: TreeDefinition, depth: Int) {
            let base = nodes.count
            trees.append(CompiledTree(complete: false, depth: Int32(depth), group: Int32(tree.group),
                                      nodeBase: Int32(base), leafBase: 0))
            var order = [0]
            var position = 0
            nodes.append(WalkNode(slot: 0, key: 0, left: -1, value: 0))
            while position < order.count {
                let node = order[position]
                let slot = base + position
                position += 1
                if tree.left[node] == -1 {
                    nodes[slot] = WalkNode(slot: 0, key: 0, left: -1, value: tree.leafValue[node])
                    continue
                }
                let leftSlot = order.count
                order.append(Int(tree.left[node]))
                order.append(Int(tree.right[node]))
                nodes.append(WalkNode(slot: 0, key: 0, left: -1, value: 0))
                nodes.append(WalkNode(slot: 0, key: 0, left: -1, value: 0))
                nodes[slot] = WalkNode(slot: SplitKey.slot(feature: tree.feature[node], defaultLeft: tree.defaultLeft[node]),
                                       key: SplitKey.key(tree.threshold[node]), left: Int32(leftSlot), value: 0)
            }
        }
    }
}
