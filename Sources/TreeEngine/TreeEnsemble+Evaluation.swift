extension TreeEnsemble {
    /// Keys held for one block of rows: the block shrinks for wide models
    /// so that it stays in cache.
    static let blockKeys = 8_192

    /// The margins of `rows` rows of a row-major float32 matrix with
    /// `numFeature` columns (NaN is missing) into `out` (`rows × groups`,
    /// row-major). Allocates nothing on the heap for models up to 4,096
    /// features.
    public func margins(_ features: UnsafeBufferPointer<Float>, rows: Int,
                        into out: UnsafeMutableBufferPointer<Float>) {
        precondition(rows >= 0 && features.count == rows * numFeature && out.count == rows * groups,
                     "margins: buffer sizes do not match rows")
        guard rows > 0, let input = features.baseAddress, let output = out.baseAddress else { return }
        for row in 0..<rows {
            for group in 0..<groups { output[row * groups + group] = baseMargins[group] }
        }
        let keysPerRow = 2 * numFeature
        let blockRows = max(1, min(64, Self.blockKeys / keysPerRow))
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: blockRows * keysPerRow) { scratch in
        trees.withUnsafeBufferPointer { trees in
        splits.withUnsafeBufferPointer { splits in
        leaves.withUnsafeBufferPointer { leaves in
        nodes.withUnsafeBufferPointer { nodes in
            guard let keys = scratch.baseAddress else { return }
            let layout = Layout(splits: splits.baseAddress, leaves: leaves.baseAddress, nodes: nodes.baseAddress)
            var start = 0
            while start < rows {
                let count = min(blockRows, rows - start)
                for row in 0..<count {
                    SplitKey.fill(keys + row * keysPerRow, from: input + (start + row) * numFeature, width: numFeature)
                }
                let sums = output + start * groups
                if count < 4 {
                    // Too few rows to descend side by side: four trees do.
                    for row in 0..<count {
                        layout.addRow(keys + row * keysPerRow, trees, sums + row * groups)
                    }
                } else {
                    for tree in trees {
                        if tree.complete {
                            layout.addComplete(tree, keys, rows: count, stride: keysPerRow, sums, groups: groups)
                        } else {
                            layout.addWalked(tree, keys, rows: count, stride: keysPerRow, sums, groups: groups)
                        }
                    }
                }
                start += count
            }
        }}}}}
    }

    /// Array convenience for `margins(_:rows:into:)`.
    public func margins(_ features: [Float], rows: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * groups)
        features.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { margins(input, rows: rows, into: $0) }
        }
        return out
    }
}

/// The shared node arrays, borrowed for one call. A descent step reads the
/// row's key in the split's slot and goes right (index `2i + 2`) when it is
/// at or above the split's key (see `SplitKey`), else left (`2i + 1`).
struct Layout {
    let splits: UnsafePointer<SplitNode>?
    let leaves: UnsafePointer<Float>?
    let nodes: UnsafePointer<WalkNode>?

    /// A step from node `index` (held unpacked in `node`: slot in the low
    /// half, key in the high half) to a child that is itself a split.
    @inline(__always)
    static func advance(_ index: Int, _ node: UInt64, _ nodes: UnsafePointer<UInt64>,
                        _ keys: UnsafePointer<Int32>) -> (Int, UInt64) {
        let left = nodes[index &* 2 &+ 1], right = nodes[index &* 2 &+ 2]
        let goRight = keys[Int(UInt32(truncatingIfNeeded: node))] >= Int32(truncatingIfNeeded: node >> 32)
        return (index &* 2 &+ (goRight ? 2 : 1), goRight ? right : left)
    }

    /// The last step, to a leaf position.
    @inline(__always)
    static func last(_ index: Int, _ node: UInt64, _ keys: UnsafePointer<Int32>) -> Int {
        let goRight = keys[Int(UInt32(truncatingIfNeeded: node))] >= Int32(truncatingIfNeeded: node >> 32)
        return index &* 2 &+ (goRight ? 2 : 1)
    }

    /// Four rows descend side by side: one descent is a chain of dependent
    /// loads, four independent chains overlap.
    @inline(__always)
    func addComplete(_ tree: CompiledTree, _ keys: UnsafePointer<Int32>, rows: Int, stride: Int,
                     _ sums: UnsafeMutablePointer<Float>, groups: Int) {
        guard let splits, let leaves else { return }
        let nodes = splits + Int(tree.nodeBase)
        let depth = Int(tree.depth)
        let leafBase = leaves + Int(tree.leafBase) - ((1 << depth) - 1)
        let out = sums + Int(tree.group)
        var row = 0
        // Each lane keeps its current node in a register and loads both of
        // its children while the comparison is pending, so a step waits for
        // one load (the row's key) instead of two.
        let packed = UnsafeRawPointer(nodes).assumingMemoryBound(to: UInt64.self)  // SplitNode is one UInt64
        while depth > 0, row + 4 <= rows {
            let k0 = keys + row * stride, k1 = k0 + stride, k2 = k1 + stride, k3 = k2 + stride
            var i0 = 0, i1 = 0, i2 = 0, i3 = 0
            let root = packed[0]
            var n0 = root, n1 = root, n2 = root, n3 = root
            for _ in 1..<depth {
                (i0, n0) = Self.advance(i0, n0, packed, k0)
                (i1, n1) = Self.advance(i1, n1, packed, k1)
                (i2, n2) = Self.advance(i2, n2, packed, k2)
                (i3, n3) = Self.advance(i3, n3, packed, k3)
            }
            let o = out + row * groups
            o[0] += leafBase[Self.last(i0, n0, k0)]
            o[groups] += leafBase[Self.last(i1, n1, k1)]
            o[2 &* groups] += leafBase[Self.last(i2, n2, k2)]
            o[3 &* groups] += leafBase[Self.last(i3, n3, k3)]
            row += 4
        }
        while row < rows {
            out[row * groups] += descend(tree, keys + row * stride)
            row += 1
        }
    }

    /// One row through every tree, four complete trees at a time; each
    /// output still receives its trees' values in tree order.
    func addRow(_ keys: UnsafePointer<Int32>, _ trees: UnsafeBufferPointer<CompiledTree>,
                _ sums: UnsafeMutablePointer<Float>) {
        var index = 0
        let count = trees.count
        while index < count {
            if index + 4 <= count, trees[index].complete, trees[index + 1].complete, trees[index + 2].complete,
               trees[index + 3].complete {
                let t0 = trees[index], t1 = trees[index + 1], t2 = trees[index + 2], t3 = trees[index + 3]
                let v0 = descend(t0, keys), v1 = descend(t1, keys), v2 = descend(t2, keys), v3 = descend(t3, keys)
                sums[Int(t0.group)] += v0
                sums[Int(t1.group)] += v1
                sums[Int(t2.group)] += v2
                sums[Int(t3.group)] += v3
                index += 4
            } else {
                let tree = trees[index]
                if tree.complete {
                    sums[Int(tree.group)] += descend(tree, keys)
                } else {
                    addWalked(tree, keys, rows: 1, stride: 0, sums, groups: 0)
                }
                index += 1
            }
        }
    }

    @inline(__always)
    func descend(_ tree: CompiledTree, _ keys: UnsafePointer<Int32>) -> Float {
        guard let splits, let leaves else { return 0 }
        let depth = Int(tree.depth)
        let leafBase = leaves + Int(tree.leafBase) - ((1 << depth) - 1)
        guard depth > 0 else { return leafBase[0] }
        // As in `addComplete`: the node in a register, its children loaded early.
        let packed = UnsafeRawPointer(splits + Int(tree.nodeBase)).assumingMemoryBound(to: UInt64.self)
        var i = 0
        var node = packed[0]
        for _ in 1..<depth { (i, node) = Self.advance(i, node, packed, keys) }
        return leafBase[Self.last(i, node, keys)]
    }

    /// A tree deeper than the complete layout takes: node by node.
    func addWalked(_ tree: CompiledTree, _ keys: UnsafePointer<Int32>, rows: Int, stride: Int,
                   _ sums: UnsafeMutablePointer<Float>, groups: Int) {
        guard let nodes else { return }
        let base = nodes + Int(tree.nodeBase)
        let group = Int(tree.group)
        for row in 0..<rows {
            let k = keys + row * stride
            var node = base[0]
            while node.left >= 0 {
                node = base[Int(node.left) + (k[Int(node.slot)] >= node.key ? 1 : 0)]
            }
            sums[row * groups + group] += node.value
        }
    }
}
