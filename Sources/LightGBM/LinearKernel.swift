/// Linear leaves (`linear_tree`), as LightGBM's `Tree::Predict` evaluates
/// them: the leaf's constant plus each coefficient times its feature's
/// value, in the stored order; if any of those values is NaN, the leaf's
/// plain value instead. The engine finds each tree's leaf; this adds the
/// leaves' outputs per output group in tree order. Trees without linear
/// leaves in the same model give their leaf value.
struct LinearKernel: Sendable {
    let outputs: Int
    let treeCount: Int
    /// First leaf of each tree in the per-leaf arrays.
    let leafBase: [Int]
    let constant: [Double]
    let value: [Double]
    /// Per leaf, its range in `features` / `coefficients` (`leafCount + 1` entries).
    let offsets: [Int]
    let features: [Int]
    let coefficients: [Double]

    init(trees: [LightGBMTree], outputs: Int) {
        self.outputs = outputs
        treeCount = trees.count
        var leafBase: [Int] = []
        var constant: [Double] = []
        var value: [Double] = []
        var offsets = [0]
        var features: [Int] = []
        var coefficients: [Double] = []
        for tree in trees {
            leafBase.append(value.count)
            value.append(contentsOf: tree.leafValue)
            guard let linear = tree.linear else {
                // No linear model: the constant is the leaf value, no features.
                constant.append(contentsOf: tree.leafValue)
                offsets.append(contentsOf: repeatElement(features.count, count: tree.numLeaves))
                continue
            }
            constant.append(contentsOf: linear.constant)
            for leaf in 0..<tree.numLeaves {
                for index in linear.offsets[leaf]..<linear.offsets[leaf + 1] {
                    features.append(Int(linear.features[index]))
                    coefficients.append(linear.coefficients[index])
                }
                offsets.append(features.count)
            }
        }
        self.leafBase = leafBase
        self.constant = constant
        self.value = value
        self.offsets = offsets
        self.features = features
        self.coefficients = coefficients
    }

    /// Adds one row's tree outputs to `sums` (`outputs` values). `leaves`
    /// holds the leaf index each tree reached; `row` the row's values with
    /// |x| ≤ kZeroThreshold already 0 (NaN kept).
    @inline(__always)
    func add(row: UnsafePointer<Double>, leaves: UnsafePointer<Double>, into sums: UnsafeMutablePointer<Double>) {
        var group = 0
        for tree in 0..<treeCount {
            let leaf = leafBase[tree] + Int(leaves[tree])
            var output = constant[leaf]
            for index in offsets[leaf]..<offsets[leaf + 1] {
                let x = row[features[index]]
                if x.isNaN {
                    output = value[leaf]
                    break
                }
                output += coefficients[index] * x
            }
            sums[group] += output
            group += 1
            if group == outputs { group = 0 }
        }
    }
}
