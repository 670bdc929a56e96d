extension TreeEnsemble {
    /// Lays trees out one after the other in the shared arrays.
    struct Builder {
        let rule: SplitRule
        let leafWidth: Int
        var trees: [CompiledTree] = []
        var splits: [Value.Split] = []
        var leaves: [Value] = []
        var nodes: [WalkNode<Value.Key>] = []
        var categorySets: [CategorySet] = []
        var categoryWords: [UInt64] = []

        init(rule: SplitRule, leafWidth: Int) {
            self.rule = rule
            self.leafWidth = leafWidth
        }

        func splitKey(_ threshold: Value) -> Value.Key { SplitKey.key(threshold, rule: rule) }

        /// The complete layout: internal node `i` has children `2i+1` and
        /// `2i+2`; the leaves follow the `2^depth - 1` internal nodes. A leaf
        /// above the bottom becomes splits on feature 0 whose every leaf
        /// holds its values, so any way down gives them.
        mutating func addComplete(_ tree: TreeDefinition<Value>, depth: Int) {
            let splitCount = (1 << depth) - 1
            let leafBase = leaves.count / leafWidth
            trees.append(CompiledTree(complete: true, depth: Int32(depth), group: Int32(tree.group),
                                      nodeBase: Int32(splits.count), leafBase: Int32(leafBase)))
            let splitBase = splits.count
            splits.append(contentsOf: repeatElement(Value.split(slot: 0, key: 0), count: splitCount))
            leaves.append(contentsOf: repeatElement(0, count: (splitCount + 1) * leafWidth))
            var pending: [(node: Int, position: Int, level: Int)] = [(0, 0, 0)]
            while let (node, position, level) = pending.popLast() {
                if tree.left[node] == -1 {
                    // Every bottom position under `position` gets the values.
                    let span = 1 << (depth - level)
                    let first = (position + 1) * span - 1 - splitCount
                    for leaf in first..<(first + span) {
                        for value in 0..<leafWidth {
                            leaves[(leafBase + leaf) * leafWidth + value] = tree.leafValue[node * leafWidth + value]
                        }
                    }
                    continue
                }
                splits[splitBase + position] = Value.split(
                    slot: SplitKey.slot(feature: tree.feature[node], defaultLeft: tree.defaultLeft[node]),
                    key: splitKey(tree.threshold[node]))
                pending.append((Int(tree.left[node]), 2 * position + 1, level + 1))
                pending.append((Int(tree.right[node]), 2 * position + 2, level + 1))
            }
        }

        /// The walked layout, breadth first so that siblings sit together.
        mutating func addWalk(_ tree: TreeDefinition<Value>) throws(TreeEngineError) {
            let base = nodes.count
            trees.append(CompiledTree(complete: false, depth: 0, group: Int32(tree.group),
                                      nodeBase: Int32(base), leafBase: 0))
            var order = [0]
            var position = 0
            let empty = WalkNode<Value.Key>(slot: 0, left: -1, key: 0)
            nodes.append(empty)
            while position < order.count {
                let node = order[position]
                let slot = base + position
                position += 1
                if tree.left[node] == -1 {
                    nodes[slot] = WalkNode(slot: UInt32(leaves.count), left: -1, key: 0)
                    leaves.append(contentsOf: tree.leafValue[(node * leafWidth)..<((node + 1) * leafWidth)])
                    continue
                }
                let leftSlot = order.count
                order.append(Int(tree.left[node]))
                order.append(Int(tree.right[node]))
                nodes.append(empty)
                nodes.append(empty)
                guard nodes.count < Int(Int32.max) else { throw TreeEngineError("too many nodes") }
                if let categories = tree.categorical[node] {
                    let set = try addCategories(categories, missingGoesRight: !tree.defaultLeft[node])
                    let even = SplitKey.slot(feature: tree.feature[node], defaultLeft: false)
                    nodes[slot] = WalkNode(slot: even | WalkNode<Value.Key>.categorical,
                                           left: Int32(leftSlot), key: Value.Key(set))
                } else {
                    nodes[slot] = WalkNode(
                        slot: SplitKey.slot(feature: tree.feature[node], defaultLeft: tree.defaultLeft[node]),
                        left: Int32(leftSlot), key: splitKey(tree.threshold[node]))
                }
            }
        }

        /// Stores a split's categories as a bit set; returns its index. The
        /// sets of one ensemble share a budget: a hostile model could list a
        /// huge category at every split.
        mutating func addCategories(_ split: CategorySplit, missingGoesRight: Bool) throws(TreeEngineError) -> Int {
            let bits = (split.categories.max() ?? -1) + 1
            let firstWord = categoryWords.count
            guard (bits + 63) / 64 <= CategorySplit.maxBitSetBytes / 8 - firstWord else {
                throw TreeEngineError("the categorical splits' bit sets exceed \(CategorySplit.maxBitSetBytes) bytes")
            }
            categoryWords.append(contentsOf: repeatElement(0, count: (bits + 63) / 64))
            for category in split.categories {
                categoryWords[firstWord + category / 64] |= 1 << UInt64(category % 64)
            }
            categorySets.append(CategorySet(firstWord: firstWord, bits: bits, listedGoRight: split.listedGoRight,
                                            missingGoesRight: missingGoesRight, truncatesValues: split.truncatesValues))
            return categorySets.count - 1
        }
    }
}
