// The public entry points are concrete, so that the walk below is
// specialized for each precision (a generic walk spends a third of its time
// looking up metadata), as the ensemble's `margins` are.
extension TreeExplainer where Value == Float {
    /// One row's attributions (`numFeature` values, NaN = missing) written
    /// over `out`: for output g, `out[g * (numFeature + 1) + f]` is feature
    /// f's contribution and `out[g * (numFeature + 1) + numFeature]` the bias.
    public func contributions(of row: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Double>) {
        explain(row, into: out)
    }

    /// Attributions of `count` rows of `numFeature` values each: `width` values per row.
    public func contributions(rows: UnsafeBufferPointer<Float>, count: Int) -> [Double] { explain(rows: rows, count: count) }
}

extension TreeExplainer where Value == Double {
    /// As for `Float`.
    public func contributions(of row: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        explain(row, into: out)
    }

    public func contributions(rows: UnsafeBufferPointer<Double>, count: Int) -> [Double] { explain(rows: rows, count: count) }
}

extension TreeExplainer {
    func explain(_ row: UnsafeBufferPointer<Value>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(row.count >= numFeature && out.count >= width, "row or output buffer too short")
        guard let output = out.baseAddress, let values = row.baseAddress else { return }
        out.update(repeating: 0)
        let stride = numFeature + 1
        // Each level keeps its own copy of the path above it (XGBoost's layout).
        let capacity = (depth + 2) * (depth + 3) / 2
        nodes.withUnsafeBufferPointer { nodeBuffer in
            leafValues.withUnsafeBufferPointer { leafBuffer in reciprocals.withUnsafeBufferPointer { reciprocalBuffer in
                withUnsafeTemporaryAllocation(of: PathElement.self, capacity: capacity) { path in
                withUnsafeTemporaryAllocation(of: TableStep.self, capacity: depth + 1) { steps in
                    guard let start = path.baseAddress, let pending = steps.baseAddress, let nodes = nodeBuffer.baseAddress,
                          let leaves = leafBuffer.baseAddress, let reciprocals = reciprocalBuffer.baseAddress else { return }
                    start.initialize(repeating: PathElement(feature: -1, zero: 1, one: 1, weight: 1), count: capacity)
                    coefficients.withUnsafeBufferPointer { coefficientBuffer in slotFeatures.withUnsafeBufferPointer { featureBuffer in
                    var walk = ShapWalk(nodes: nodes, leaves: leaves, categories: categorySets, row: values,
                                        output: output, stride: stride, rule: rule, reciprocals: reciprocals,
                                        coefficients: coefficientBuffer.baseAddress, slotFeatures: featureBuffer.baseAddress)
                    for tree in trees {
                        for k in 0..<tree.width { output[(tree.group + k) * stride + numFeature] += tree.expected[k] }
                        walk.group = tree.group
                        walk.width = tree.width
                        if tree.tabled {
                            walk.visitTabled(tree.root, pending: pending)
                        } else {
                            walk.visit(tree.root, uniqueDepth: 0, parent: start, zero: 1, one: 1, feature: -1)
                        }
                    }
                    } }
                }
                }
            } }
        }
        for group in 0..<groups { output[group * stride + numFeature] += baseMargins[group] }
    }

    func explain(rows: UnsafeBufferPointer<Value>, count: Int) -> [Double] {
        precondition(rows.count >= count * numFeature, "fewer values than rows × features")
        guard count > 0, let base = rows.baseAddress else { return [] }
        return [Double](unsafeUninitializedCapacity: count * width) { buffer, initialized in
            for row in 0..<count {
                let values = UnsafeBufferPointer(start: base + row * numFeature, count: numFeature)
                explain(values, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
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
    let nodes: UnsafePointer<ShapNode<Value>>
    let leaves: UnsafePointer<Double>
    let categories: [ShapCategories]
    let row: UnsafePointer<Value>
    let output: UnsafeMutablePointer<Double>
    let stride: Int
    let rule: SplitRule
    /// 1/k for k = 0…depth + 2 (0 for k = 0).
    let reciprocals: UnsafePointer<Double>
    /// `ShapTable` coefficients and slot features (nil when no tree is tabled).
    let coefficients: UnsafePointer<Double>?
    let slotFeatures: UnsafePointer<Int32>?
    /// The tree being walked: its first output and its leaves' width.
    var group = 0
    var width = 1

    /// Whether the row goes left at `node`, as the engine decides.
    @inline(__always)
    func goesLeft(_ node: ShapNode<Value>) -> Bool {
        let value = row[Int(node.feature)]
        if value.isNaN { return node.defaultLeft }
        if node.categories >= 0 {
            let split = categories[Int(node.categories)]
            let listed = CategorySplit.category(of: value, truncating: split.truncatesValues)
                .map { split.listed.contains($0) } ?? false
            return listed != split.listedGoRight
        }
        return rule == .lessThan ? value < node.threshold : value <= node.threshold
    }

    func visit(_ index: Int, uniqueDepth: Int, parent: UnsafeMutablePointer<PathElement>,
               zero: Double, one: Double, feature: Int32) {
        // A side no training data and not this row reaches adds nothing:
        // every weight on its path is zero.
        if zero == 0, one == 0 { return }
        var depth = uniqueDepth
        let path = parent + depth + 1
        path.update(from: parent, count: depth + 1)
        extend(path, depth, zero: zero, one: one, feature: feature)
        let node = nodes[index]
        guard node.left >= 0 else {
            guard depth >= 1 else { return }
            let leaf = leaves + Int(node.leaf)
            for i in 1...depth {
                let element = path[i]
                let scale = unwoundSum(path, depth, i) * (element.one - element.zero)
                let target = output + Int(element.feature)
                for k in 0..<width { target[(group + k) * stride] += scale * leaf[k] }
            }
            return
        }
        let (hot, cold) = goesLeft(node) ? (Int(node.left), Int(node.right)) : (Int(node.right), Int(node.left))
        let split = node.feature
        var incomingZero = 1.0, incomingOne = 1.0
        // A feature already split on above: undo that split and redo it here.
        var position = 0
        while position <= depth, path[position].feature != split { position += 1 }
        if position <= depth {
            incomingZero = path[position].zero
            incomingOne = path[position].one
            unwind(path, depth, position)
            depth -= 1
        }
        visit(hot, uniqueDepth: depth + 1, parent: path, zero: nodes[hot].fraction * incomingZero,
              one: incomingOne, feature: split)
        visit(cold, uniqueDepth: depth + 1, parent: path, zero: nodes[cold].fraction * incomingZero,
              one: 0, feature: split)
    }

    // Divisions dominate the walk's cost: each is one multiplication by a
    // reciprocal from `reciprocals` (1/k for every k a path of this depth
    // meets) or one computed once per call. Values move in the last bits
    // only (checked against the subset definition and XGBoost).

    func extend(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, zero: Double, one: Double, feature: Int32) {
        path[depth] = PathElement(feature: feature, zero: zero, one: one, weight: depth == 0 ? 1 : 0)
        let inverse = reciprocals[depth + 1]
        for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
            path[i + 1].weight += one * path[i].weight * Double(i + 1) * inverse
            path[i].weight = zero * path[i].weight * Double(depth - i) * inverse
        }
    }

    /// Removes element `index` from a path of `depth + 1` elements.
    func unwind(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) {
        let one = path[index].one, zero = path[index].zero
        let next = Double(depth + 1), inverse = reciprocals[depth + 1]
        var nextOnePortion = path[depth].weight
        if one != 0 {
            let scale = next / one
            for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
                let kept = path[i].weight
                path[i].weight = nextOnePortion * scale * reciprocals[i + 1]
                nextOnePortion = kept - path[i].weight * zero * Double(depth - i) * inverse
            }
        } else {
            let scale = next / zero
            for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
                path[i].weight = path[i].weight * scale * reciprocals[depth - i]
            }
        }
        for i in index..<depth {
            path[i].feature = path[i + 1].feature
            path[i].zero = path[i + 1].zero
            path[i].one = path[i + 1].one
        }
    }

    /// The total weight the path would have without element `index`.
    func unwoundSum(_ path: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) -> Double {
        let one = path[index].one, zero = path[index].zero
        let next = Double(depth + 1), inverse = reciprocals[depth + 1]
        var total = 0.0
        if one != 0 {
            let scale = next / one
            var nextOnePortion = path[depth].weight
            for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
                let portion = nextOnePortion * scale * reciprocals[i + 1]
                total += portion
                nextOnePortion = path[i].weight - portion * zero * Double(depth - i) * inverse
            }
        } else if zero != 0 {
            let scale = next / zero
            for i in Swift.stride(from: depth - 1, through: 0, by: -1) {
                total += path[i].weight * scale * reciprocals[depth - i]
            }
        }
        return total
    }
}
