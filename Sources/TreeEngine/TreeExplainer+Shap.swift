extension TreeExplainer {
    /// One row's attributions (`numFeature` values, NaN = missing) written
    /// over `out`: for output g, `out[g * (numFeature + 1) + f]` is feature
    /// f's contribution and `out[g * (numFeature + 1) + numFeature]` the bias.
    public func contributions(of row: UnsafeBufferPointer<Value>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(row.count >= numFeature && out.count >= width, "row or output buffer too short")
        guard let output = out.baseAddress else { return }
        out.update(repeating: 0)
        let stride = numFeature + 1
        // Each level keeps its own copy of the path above it (XGBoost's layout).
        let capacity = (depth + 2) * (depth + 3) / 2
        withUnsafeTemporaryAllocation(of: PathElement.self, capacity: capacity) { path in
            guard let start = path.baseAddress else { return }
            start.initialize(repeating: PathElement(feature: -1, zero: 1, one: 1, weight: 1), count: capacity)
            for tree in trees {
                for k in 0..<tree.width { output[(tree.group + k) * stride + numFeature] += tree.meanValue[k] }
                let walk = ShapWalk(tree: tree, row: row, output: output, stride: stride, rule: rule)
                walk.visit(0, uniqueDepth: 0, parent: start, zero: 1, one: 1, feature: -1)
            }
        }
        for group in 0..<groups { output[group * stride + numFeature] += baseMargins[group] }
    }

    /// Attributions of `count` rows of `numFeature` values each: `width`
    /// values per row.
    public func contributions(rows: UnsafeBufferPointer<Value>, count: Int) -> [Double] {
        precondition(rows.count >= count * numFeature, "fewer values than rows × features")
        guard count > 0, let base = rows.baseAddress else { return [] }
        return [Double](unsafeUninitializedCapacity: count * width) { buffer, initialized in
            for row in 0..<count {
                let values = UnsafeBufferPointer(start: base + row * numFeature, count: numFeature)
                contributions(of: values, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
            }
            initialized = count * width
        }
    }
}

/// One split on the path from the root: its feature, the fraction of
/// training data ("zero": feature unknown) and of this row ("one": feature
/// known) that follows the path through it, and the permutation weight.
struct PathElement {
    var feature: Int32
    var zero: Double
    var one: Double
    var weight: Double
}

/// The recursion of Algorithm 2 over one tree for one row.
struct ShapWalk<Value: EngineValue> {
    let tree: ExplainedTree<Value>
    let row: UnsafeBufferPointer<Value>
    let output: UnsafeMutablePointer<Double>
    let stride: Int
    let rule: SplitRule

    func visit(_ node: Int, uniqueDepth: Int, parent: UnsafeMutablePointer<PathElement>,
               zero: Double, one: Double, feature: Int32) {
        // A side no training data and not this row reaches adds nothing:
        // every weight on its path is zero.
        if zero == 0, one == 0 { return }
        var depth = uniqueDepth
        let path = parent + depth + 1
        path.update(from: parent, count: depth + 1)
        Self.extend(path, depth, zero: zero, one: one, feature: feature)
        guard tree.left[node] != -1 else {
            guard depth >= 1 else { return }
            let leaf = node * tree.width
            for i in 1...depth {
                let element = path[i]
                let scale = Self.unwoundSum(path, depth, i) * (element.one - element.zero)
                for k in 0..<tree.width {
                    output[(tree.group + k) * stride + Int(element.feature)] += scale * tree.leafValue[leaf + k]
                }
            }
            return
        }
        let left = Int(tree.left[node]), right = Int(tree.right[node])
        let (hot, cold) = tree.goesLeft(node, row, rule: rule) ? (left, right) : (right, left)
        let split = tree.feature[node]
        var incomingZero = 1.0, incomingOne = 1.0
        // A feature already split on above: undo that split and redo it here.
        var index = 0
        while index <= depth, path[index].feature != split { index += 1 }
        if index <= depth {
            incomingZero = path[index].zero
            incomingOne = path[index].one
            Self.unwind(path, depth, index)
            depth -= 1
        }
        let cover = tree.cover[node]
        visit(hot, uniqueDepth: depth + 1, parent: path, zero: tree.cover[hot] / cover * incomingZero,
              one: incomingOne, feature: split)
        visit(cold, uniqueDepth: depth + 1, parent: path, zero: tree.cover[cold] / cover * incomingZero,
              one: 0, feature: split)
    }

    static func extend(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, zero: Double, one: Double,
                       feature: Int32) {
        path[depth] = PathElement(feature: feature, zero: zero, one: one, weight: depth == 0 ? 1 : 0)
        let next = Double(depth + 1)
        for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
            path[i + 1].weight += one * path[i].weight * Double(i + 1) / next
            path[i].weight = zero * path[i].weight * Double(depth - i) / next
        }
    }

    /// Removes element `index` from a path of `depth + 1` elements.
    static func unwind(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) {
        let one = path[index].one, zero = path[index].zero
        let next = Double(depth + 1)
        var nextOnePortion = path[depth].weight
        for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let kept = path[i].weight
                path[i].weight = nextOnePortion * next / (Double(i + 1) * one)
                nextOnePortion = kept - path[i].weight * zero * Double(depth - i) / next
            } else {
                path[i].weight = path[i].weight * next / (zero * Double(depth - i))
            }
        }
        for i in index..<depth {
            path[i].feature = path[i + 1].feature
            path[i].zero = path[i + 1].zero
            path[i].one = path[i + 1].one
        }
    }

    /// The total weight the path would have without element `index`.
    static func unwoundSum(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) -> Double {
        let one = path[index].one, zero = path[index].zero
        let next = Double(depth + 1)
        var nextOnePortion = path[depth].weight
        var total = 0.0
        for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let portion = nextOnePortion * next / (Double(i + 1) * one)
                total += portion
                nextOnePortion = path[i].weight - portion * zero * (Double(depth - i) / next)
            } else if zero != 0 {
                total += (path[i].weight / zero) / (Double(depth - i) / next)
            }
        }
        return total
    }
}
