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
