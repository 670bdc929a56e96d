extension TreeEnsemble {
    /// Rows evaluated together: their features stay in cache while every
    /// tree runs over them.
    static let blockRows = 64

    /// The margins of `rows` rows of a row-major float32 matrix with
    /// `numFeature` columns (NaN is missing) into `out` (`rows × groups`,
    /// row-major). Allocates nothing.
    public func margins(_ features: UnsafeBufferPointer<Float>, rows: Int,
                        into out: UnsafeMutableBufferPointer<Float>) {
        precondition(rows >= 0 && features.count == rows * numFeature && out.count == rows * groups,
                     "margins: buffer sizes do not match rows")
        guard rows > 0, let input = features.baseAddress, let output = out.baseAddress else { return }
        for row in 0..<rows {
            for group in 0..<groups { output[row * groups + group] = baseMargins[group] }
        }
        trees.withUnsafeBufferPointer { trees in
        splits.withUnsafeBufferPointer { splits in
        thresholds.withUnsafeBufferPointer { thresholds in
        leaves.withUnsafeBufferPointer { leaves in
        nodes.withUnsafeBufferPointer { nodes in
            let layout = Layout(splits: splits.baseAddress, thresholds: thresholds.baseAddress,
                                leaves: leaves.baseAddress, nodes: nodes.baseAddress)
            var start = 0
            while start < rows {
                let count = min(Self.blockRows, rows - start)
                let block = input + start * numFeature
                let sums = output + start * groups
                for tree in trees {
                    if tree.complete {
                        layout.addComplete(tree, block, rows: count, width: numFeature, sums, groups: groups)
                    } else {
                        layout.addWalked(tree, block, rows: count, width: numFeature, sums, groups: groups)
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

/// The shared node arrays, borrowed for one call.
struct Layout {
    let splits: UnsafePointer<UInt32>?
    let thresholds: UnsafePointer<Float>?
    let leaves: UnsafePointer<Float>?
    let nodes: UnsafePointer<WalkNode>?

    /// One descent step: left when `value < threshold`, the default way
    /// when the value is missing. Returns 0 (left) or 1 (right).
    @inline(__always)
    static func step(_ value: Float, _ split: UInt32, _ threshold: Float) -> Int {
        let right = value < threshold ? 0 : 1
        let defaultRight = Int(split >> 31)
        return value.isNaN ? defaultRight : right
    }

    /// Four rows descend side by side, their independent loads overlapping.
    @inline(__always)
    func addComplete(_ tree: CompiledTree, _ block: UnsafePointer<Float>, rows: Int, width: Int,
                     _ sums: UnsafeMutablePointer<Float>, groups: Int) {
        guard let splits, let thresholds, let leaves else { return }
        let nodeBase = splits + Int(tree.nodeBase), thresholdBase = thresholds + Int(tree.nodeBase)
        let depth = Int(tree.depth)
        let leafBase = leaves + Int(tree.leafBase) - ((1 << depth) - 1)
        let group = Int(tree.group)
        var row = 0
        while row + 4 <= rows {
            let r0 = block + row * width, r1 = r0 + width, r2 = r1 + width, r3 = r2 + width
            var i0 = 0, i1 = 0, i2 = 0, i3 = 0
            for _ in 0..<depth {
                let s0 = nodeBase[i0], s1 = nodeBase[i1], s2 = nodeBase[i2], s3 = nodeBase[i3]
                let f = WalkNode.featureMask
                i0 = 2 * i0 + 1 + Self.step(r0[Int(s0 & f)], s0, thresholdBase[i0])
                i1 = 2 * i1 + 1 + Self.step(r1[Int(s1 & f)], s1, thresholdBase[i1])
                i2 = 2 * i2 + 1 + Self.step(r2[Int(s2 & f)], s2, thresholdBase[i2])
                i3 = 2 * i3 + 1 + Self.step(r3[Int(s3 & f)], s3, thresholdBase[i3])
            }
            sums[row * groups + group] += leafBase[i0]
            sums[(row + 1) * groups + group] += leafBase[i1]
            sums[(row + 2) * groups + group] += leafBase[i2]
            sums[(row + 3) * groups + group] += leafBase[i3]
            row += 4
        }
        while row < rows {
            let r = block + row * width
            var i = 0
            for _ in 0..<depth {
                let s = nodeBase[i]
                i = 2 * i + 1 + Self.step(r[Int(s & WalkNode.featureMask)], s, thresholdBase[i])
            }
            sums[row * groups + group] += leafBase[i]
            row += 1
        }
    }

    @inline(__always)
    func addWalked(_ tree: CompiledTree, _ block: UnsafePointer<Float>, rows: Int, width: Int,
                   _ sums: UnsafeMutablePointer<Float>, groups: Int) {
        guard let nodes else { return }
        let base = nodes + Int(tree.nodeBase)
        let group = Int(tree.group)
        for row in 0..<rows {
            let r = block + row * width
            var node = base[0]
            while node.left >= 0 {
                let next = Int(node.left) + Self.step(r[Int(node.split & WalkNode.featureMask)], node.split, node.value)
                node = base[next]
            }
            sums[row * groups + group] += node.value
        }
    }
}
