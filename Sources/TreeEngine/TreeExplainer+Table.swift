/// Per-leaf TreeSHAP coefficients ("Fast TreeSHAP", Yang 2021, its v2): a
/// leaf's share of a feature's attribution depends on the row only through
/// which of the leaf's path features the row agrees with (the "hot" set H:
/// the row takes the path's way at every split on that feature). For a leaf
/// with k distinct features on its path, zero fractions zⱼ (the product of
/// the cover shares of feature j's splits on the path) and Shapley weights
/// w(s) = s!(k−s−1)!/k!, feature i's coefficient is
///
///     c(H, i) = (oᵢ − zᵢ) · Πⱼ∉H, j≠i zⱼ · Σₛ w(s) · e_{|A|−s}(z_A),  A = H \ {i}
///
/// (oᵢ = 1 when i ∈ H; e_m the elementary symmetric polynomials), which is
/// what Algorithm 2's extend/unwind compute for that leaf. Tabulating all
/// 2^k sets once per model turns a row's walk into one visit per node and
/// k multiply-adds per leaf, instead of O(depth²) path updates per leaf.
struct ShapTable {
    /// A leaf's path features (slot order) and their zero fractions.
    struct Path {
        var features: [Int32] = []
        var zero: [Double] = []
    }

    /// Tables are built while they fit: 2M values (16 MB) per model, and
    /// leaves with at most 12 distinct path features (4,096 sets).
    static var maxValues: Int { 1 << 21 }
    static var maxPathFeatures: Int { 12 }

    /// `k!` for k = 0…maxPathFeatures.
    static let factorials: [Double] = {
        var values = [1.0]
        for k in 1...maxPathFeatures { values.append(values[k - 1] * Double(k)) }
        return values
    }()

    /// c(H, i) for every H in 0..<2^k (rows) and slot i (columns).
    static func coefficients(_ path: Path) -> [Double] {
        let k = path.zero.count
        guard k > 0 else { return [] }
        let weights = (0..<k).map { s in factorials[s] * factorials[k - s - 1] / factorials[k] }
        var table = [Double](repeating: 0, count: (1 << k) * k)
        var symmetric = [Double](repeating: 0, count: k + 1)
        for hot in 0..<(1 << k) {
            for i in 0..<k {
                var outside = 1.0
                var size = 0
                symmetric[0] = 1
                for j in 0..<k where j != i {
                    if hot & (1 << j) == 0 {
                        outside *= path.zero[j]
                    } else {
                        size += 1
                        symmetric[size] = 0
                        for m in stride(from: size, through: 1, by: -1) { symmetric[m] += symmetric[m - 1] * path.zero[j] }
                    }
                }
                var sum = 0.0
                for s in 0...size { sum += weights[s] * symmetric[size - s] }
                let one: Double = hot & (1 << i) != 0 ? 1 : 0
                table[hot * k + i] = (one - path.zero[i]) * outside * sum
            }
        }
        return table
    }
}

extension ShapBuilder {
    /// Gives each split the slot of its feature among the distinct features
    /// on the way to it, and each leaf its table, when the tree's tables fit
    /// in `budget` values (taken from it). Returns whether they did; if not,
    /// the tree is walked with Algorithm 2.
    mutating func tabulate(root: Int, budget: inout Int) -> Bool {
        var leaves: [(node: Int, path: ShapTable.Path)] = []
        var size = 0
        var pending: [(node: Int, path: ShapTable.Path)] = [(root, ShapTable.Path())]
        while let (index, path) = pending.popLast() {
            let node = nodes[index]
            guard node.left >= 0 else {
                let k = path.zero.count
                guard k <= ShapTable.maxPathFeatures else { return false }
                size += k == 0 ? 0 : (1 << k) * k
                guard size <= budget else { return false }
                leaves.append((index, path))
                continue
            }
            let slot = path.features.firstIndex(of: node.feature) ?? path.features.count
            nodes[index].slot = Int32(slot)
            for child in [Int(node.left), Int(node.right)] {
                var next = path
                if slot == next.features.count {
                    next.features.append(node.feature)
                    next.zero.append(1)
                }
                next.zero[slot] *= nodes[child].fraction
                pending.append((child, next))
            }
        }
        budget -= size
        for (index, path) in leaves {
            nodes[index].pathWidth = Int32(path.features.count)
            nodes[index].tableStart = Int32(coefficients.count)
            nodes[index].featureStart = Int32(slotFeatures.count)
            coefficients += ShapTable.coefficients(path)
            slotFeatures += path.features
        }
        return true
    }
}

/// A right child still to visit in a tabled walk, with the hot set it gets.
struct TableStep {
    var node: Int32
    var hot: UInt32
}

extension ShapWalk {
    /// A tabled tree: every node once, carrying the set of path features
    /// the row agrees with so far (`hot`, one bit per slot); each leaf adds
    /// its coefficients for that set times its values. Depth first, left
    /// before right as a recursion would go (so the sums are added in the
    /// same order), with the right children waiting in `pending` (room for
    /// the tree's depth): no call per node.
    func visitTabled(_ root: Int, pending: UnsafeMutablePointer<TableStep>) {
        var index = root
        var hot: UInt32 = ~0
        var waiting = 0
        while true {
            let node = nodes[index]
            if node.left >= 0 {
                let cleared = hot & ~(1 << UInt32(node.slot))
                let left = goesLeft(node)
                pending[waiting] = TableStep(node: node.right, hot: left ? cleared : hot)
                waiting += 1
                index = Int(node.left)
                if !left { hot = cleared }
                continue
            }
            addTabledLeaf(node, hot: hot)
            guard waiting > 0 else { return }
            waiting -= 1
            index = Int(pending[waiting].node)
            hot = pending[waiting].hot
        }
    }

    @inline(__always)
    func addTabledLeaf(_ node: ShapNode<Value>, hot: UInt32) {
        let k = Int(node.pathWidth)
        guard k > 0, let coefficients, let slotFeatures else { return }
        let set = Int(hot & ((1 << UInt32(k)) - 1))
        let row = coefficients + Int(node.tableStart) + set * k
        let features = slotFeatures + Int(node.featureStart)
        let leaf = leaves + Int(node.leaf)
        if width == 1 {
            let value = leaf[0]
            let target = output + group * stride
            for i in 0..<k { target[Int(features[i])] += row[i] * value }
            return
        }
        for i in 0..<k {
            let target = output + Int(features[i])
            let scale = row[i]
            for w in 0..<width { target[(group + w) * stride] += scale * leaf[w] }
        }
    }
}
