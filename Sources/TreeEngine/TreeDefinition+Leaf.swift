extension CategorySplit {
    /// The category a value names at a categorical split, or nil when it
    /// names none (negative, not below `maxCategory`, a fraction unless
    /// `truncating`): such a value goes the unlisted way.
    @inline(__always)
    public static func category<V: BinaryFloatingPoint>(of value: V, truncating: Bool) -> Int? {
        guard value >= 0, value < V(maxCategory), truncating || value.rounded(.towardZero) == value else { return nil }
        return Int(value)
    }
}

extension TreeDefinition {
    /// The node a row's walk ends at, each split decided as the engine
    /// decides it: NaN the default way, listed categories to their side,
    /// numbers by `rule`. For outputs that name the leaf (Spark's
    /// `leafCol`); predictions come from the compiled ensemble. The tree
    /// must have passed the ensemble's checks (children in range, no cycles).
    public func leaf(for row: UnsafeBufferPointer<Value>, rule: SplitRule) -> Int {
        var node = 0
        while left[node] != -1 {
            let value = row[Int(feature[node])]
            let goesLeft: Bool
            if value.isNaN {
                goesLeft = defaultLeft[node]
            } else if let split = categorical[node] {
                let listed = CategorySplit.category(of: value, truncating: split.truncatesValues)
                    .map { split.categories.contains($0) } ?? false
                goesLeft = listed != split.listedGoRight
            } else {
                goesLeft = rule == .lessThan ? value < threshold[node] : value <= threshold[node]
            }
            node = Int(goesLeft ? left[node] : right[node])
        }
        return node
    }

    /// Each leaf's rank among the tree's leaves from left to right (Spark's
    /// leaf index); -1 for splits and for nodes the root does not reach.
    public func leafRanks() -> [Int] {
        var ranks = [Int](repeating: -1, count: nodeCount)
        var next = 0
        var pending = [0]
        while let node = pending.popLast() {
            guard left[node] != -1 else {
                ranks[node] = next
                next += 1
                continue
            }
            // Right pushed first: the left subtree's leaves are ranked first.
            pending.append(Int(right[node]))
            pending.append(Int(left[node]))
        }
        return ranks
    }
}
