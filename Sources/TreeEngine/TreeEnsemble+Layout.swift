/// The shared node arrays, borrowed for one call. A descent step reads the
/// row's key in the split's slot and goes right (index `2i + 2`) when it is
/// at or above the split's key (see `SplitKey`), else left (`2i + 1`).
struct Layout<Value: EngineValue> {
    typealias Key = Value.Key
    let splits: UnsafePointer<Value.Split>?
    let leaves: UnsafePointer<Value>?
    let nodes: UnsafePointer<WalkNode<Key>>?
    let sets: UnsafePointer<CategorySet>?
    let words: UnsafePointer<UInt64>?

    /// A step from node `index` (held in `node`) to a child that is itself
    /// a split.
    @inline(__always)
    static func advance(_ index: Int, _ node: Value.Split, _ nodes: UnsafePointer<Value.Split>,
                        _ keys: UnsafePointer<Key>) -> (Int, Value.Split) {
        let left = nodes[index &* 2 &+ 1], right = nodes[index &* 2 &+ 2]
        let goRight = keys[Int(Value.slot(of: node))] >= Value.key(of: node)
        return (index &* 2 &+ (goRight ? 2 : 1), goRight ? right : left)
    }

    /// The last step, to a leaf position.
    @inline(__always)
    static func last(_ index: Int, _ node: Value.Split, _ keys: UnsafePointer<Key>) -> Int {
        let goRight = keys[Int(Value.slot(of: node))] >= Value.key(of: node)
        return index &* 2 &+ (goRight ? 2 : 1)
    }

    /// Four rows descend side by side: one descent is a chain of dependent
    /// loads, four independent chains overlap.
    @inline(__always)
    func addComplete(_ tree: CompiledTree, _ keys: UnsafePointer<Key>, rows: Int, stride: Int,
                     _ sums: UnsafeMutablePointer<Value>, groups: Int) {
        guard let splits, let leaves else { return }
        let nodes = splits + Int(tree.nodeBase)
        let depth = Int(tree.depth)
        let leafBase = leaves + Int(tree.leafBase) - ((1 << depth) - 1)
        let out = sums + Int(tree.group)
        var row = 0
        // Each lane keeps its current node in a register and loads both of
        // its children while the comparison is pending, so a step waits for
        // one load (the row's key) instead of two.
        while depth > 0, row + 4 <= rows {
            let k0 = keys + row * stride, k1 = k0 + stride, k2 = k1 + stride, k3 = k2 + stride
            var i0 = 0, i1 = 0, i2 = 0, i3 = 0
            let root = nodes[0]
            var n0 = root, n1 = root, n2 = root, n3 = root
            for _ in 1..<depth {
                (i0, n0) = Self.advance(i0, n0, nodes, k0)
                (i1, n1) = Self.advance(i1, n1, nodes, k1)
                (i2, n2) = Self.advance(i2, n2, nodes, k2)
                (i3, n3) = Self.advance(i3, n3, nodes, k3)
            }
            let o = out + row * groups
            o[0] += leafBase[Self.last(i0, n0, k0)]
            o[groups] += leafBase[Self.last(i1, n1, k1)]
            o[2 &* groups] += leafBase[Self.last(i2, n2, k2)]
            o[3 &* groups] += leafBase[Self.last(i3, n3, k3)]
            row += 4
        }
        while row < rows {
            out[row * groups] += leafBase[position(tree, keys + row * stride)]
            row += 1
        }
    }

    /// One row through every tree, four complete trees at a time; each
    /// output still receives its trees' values in tree order.
    func addRow(_ keys: UnsafePointer<Key>, _ trees: UnsafeBufferPointer<CompiledTree>,
                _ sums: UnsafeMutablePointer<Value>) {
        guard let leaves else { return }
        var index = 0
        let count = trees.count
        while index < count {
            if index + 4 <= count, trees[index].complete, trees[index + 1].complete, trees[index + 2].complete,
               trees[index + 3].complete {
                let t0 = trees[index], t1 = trees[index + 1], t2 = trees[index + 2], t3 = trees[index + 3]
                let v0 = descend(t0, keys, leaves), v1 = descend(t1, keys, leaves)
                let v2 = descend(t2, keys, leaves), v3 = descend(t3, keys, leaves)
                sums[Int(t0.group)] += v0
                sums[Int(t1.group)] += v1
                sums[Int(t2.group)] += v2
                sums[Int(t3.group)] += v3
                index += 4
            } else {
                let tree = trees[index]
                if tree.complete {
                    sums[Int(tree.group)] += descend(tree, keys, leaves)
                } else {
                    sums[Int(tree.group)] += leaves[walk(tree, keys)]
                }
                index += 1
            }
        }
    }

    /// One row through every tree, adding `width` values per leaf.
    func addVectors(_ keys: UnsafePointer<Key>, _ trees: UnsafeBufferPointer<CompiledTree>,
                    _ sums: UnsafeMutablePointer<Value>, width: Int) {
        guard let leaves else { return }
        for tree in trees {
            let first: Int
            if tree.complete {
                first = (Int(tree.leafBase) + position(tree, keys) - ((1 << Int(tree.depth)) - 1)) * width
            } else {
                first = walk(tree, keys)
            }
            let out = sums + Int(tree.group)
            for value in 0..<width { out[value] += leaves[first + value] }
        }
    }

    @inline(__always)
    func descend(_ tree: CompiledTree, _ keys: UnsafePointer<Key>, _ leaves: UnsafePointer<Value>) -> Value {
        let depth = Int(tree.depth)
        return (leaves + Int(tree.leafBase) - ((1 << depth) - 1))[position(tree, keys)]
    }

    /// The complete-layout index (internal nodes first) of the leaf a row
    /// reaches; as in `addComplete`, the node is held in a register and its
    /// children are loaded early.
    @inline(__always)
    func position(_ tree: CompiledTree, _ keys: UnsafePointer<Key>) -> Int {
        guard let splits else { return 0 }
        let depth = Int(tree.depth)
        guard depth > 0 else { return 0 }
        let nodes = splits + Int(tree.nodeBase)
        var i = 0
        var node = nodes[0]
        for _ in 1..<depth { (i, node) = Self.advance(i, node, nodes, keys) }
        return Self.last(i, node, keys)
    }

    /// A tree deeper than the complete layout takes: node by node.
    func addWalked(_ tree: CompiledTree, _ keys: UnsafePointer<Key>, rows: Int, stride: Int,
                   _ sums: UnsafeMutablePointer<Value>, groups: Int) {
        guard let leaves else { return }
        let group = Int(tree.group)
        for row in 0..<rows {
            sums[row * groups + group] += leaves[walk(tree, keys + row * stride)]
        }
    }

    /// The index in `leaves` of the first value of the leaf a row reaches.
    @inline(__always)
    func walk(_ tree: CompiledTree, _ k: UnsafePointer<Key>) -> Int {
        guard let nodes else { return 0 }
        let base = nodes + Int(tree.nodeBase)
        var node = base[0]
        while node.left >= 0 {
            let goRight = node.slot & WalkNode<Key>.categorical == 0
                ? k[Int(node.slot)] >= node.key : categoryGoesRight(node, k)
            node = base[Int(node.left) + (goRight ? 1 : 0)]
        }
        return Int(node.slot)
    }

    /// A categorical split reads the feature's even slot, where a missing
    /// value is `Key.max` and any other key gives the value back exactly.
    func categoryGoesRight(_ node: WalkNode<Key>, _ k: UnsafePointer<Key>) -> Bool {
        guard let sets, let words else { return false }
        let set = sets[Int(node.key)]
        let key = k[Int(node.slot & ~WalkNode<Key>.categorical)]
        if key == .max { return set.missingGoesRight }
        let value = Value.value(ofKey: key)
        var listed = false
        if value >= 0, value < Value(set.bits), set.truncatesValues || value.rounded(.towardZero) == value {
            let category = Int(value)
            listed = (words[set.firstWord + category / 64] >> UInt64(category % 64)) & 1 == 1
        }
        return listed == set.listedGoRight
    }
}
