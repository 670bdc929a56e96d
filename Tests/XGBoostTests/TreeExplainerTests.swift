import ConveyorTestSupport
import Testing
@testable import TreeEngine

/// TreeSHAP against its definition: Shapley values of the path-dependent
/// value function v(S) (the paper's Algorithm 1, EXPVALUE: features in S
/// follow the row, the others are averaged over both sides by cover),
/// computed by enumerating every subset. Independent of the explainer's
/// path bookkeeping, and exact for both split rules, categorical splits,
/// missing values, repeated features on one path and leaves of several values.
@Suite struct TreeExplainerTests {
    /// v(S) for one tree and one output.
    private func expectedValue<Value: EngineValue>(_ tree: TreeDefinition<Value>, _ node: Int, _ row: [Value],
                                                   known: Set<Int>, output k: Int, rule: SplitRule) -> Double {
        if tree.left[node] == -1 { return Double(tree.leafValue[node * tree.leafWidth + k]) }
        let left = Int(tree.left[node]), right = Int(tree.right[node])
        let feature = Int(tree.feature[node])
        if known.contains(feature) {
            let value = row[feature]
            let goesLeft: Bool
            if value.isNaN {
                goesLeft = tree.defaultLeft[node]
            } else if let split = tree.categorical[node] {
                let listed = value >= 0 && value.rounded(.towardZero) == value && split.categories.contains(Int(value))
                goesLeft = listed != split.listedGoRight
            } else {
                goesLeft = rule == .lessThan ? value < tree.threshold[node] : value <= tree.threshold[node]
            }
            return expectedValue(tree, goesLeft ? left : right, row, known: known, output: k, rule: rule)
        }
        return (tree.cover[left] * expectedValue(tree, left, row, known: known, output: k, rule: rule)
                + tree.cover[right] * expectedValue(tree, right, row, known: known, output: k, rule: rule))
            / tree.cover[node]
    }

    /// Shapley values by subsets, `groups × (features + 1)` per row.
    private func bruteForce<Value: EngineValue>(_ trees: [TreeDefinition<Value>], row: [Value], groups: Int,
                                                base: [Double], rule: SplitRule) -> [Double] {
        let m = row.count
        var out = [Double](repeating: 0, count: groups * (m + 1))
        func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }
        for tree in trees {
            for k in 0..<tree.leafWidth {
                let output = tree.group + k
                let v = { (s: Set<Int>) in self.expectedValue(tree, 0, row, known: s, output: k, rule: rule) }
                out[output * (m + 1) + m] += v([])
                for i in 0..<m {
                    var phi = 0.0
                    for mask in 0..<(1 << m) where mask & (1 << i) == 0 {
                        let subset = Set((0..<m).filter { mask & (1 << $0) != 0 })
                        let weight = factorial(subset.count) * factorial(m - subset.count - 1) / factorial(m)
                        phi += weight * (v(subset.union([i])) - v(subset))
                    }
                    out[output * (m + 1) + i] += phi
                }
            }
        }
        for g in 0..<groups { out[g * (m + 1) + m] += base[g] }
        return out
    }

    /// A random complete-ish tree over `features` features, depth ≤ `depth`,
    /// with covers that add up (a split's cover is its children's sum).
    private func randomTree<Value: EngineValue>(_ generator: inout SeededGenerator, features: Int, depth: Int,
                                                width: Int, group: Int, categorical: Bool) -> TreeDefinition<Value> {
        var tree = TreeDefinition<Value>(left: [], right: [], feature: [], threshold: [], defaultLeft: [],
                                         leafValue: [], leafWidth: width, group: group)
        func add(_ level: Int) -> (Int, Double) {
            let node = tree.left.count
            tree.left.append(-1); tree.right.append(-1)
            tree.feature.append(0); tree.threshold.append(0); tree.defaultLeft.append(false); tree.cover.append(0)
            tree.leafValue += (0..<width).map { _ in Value(Double.random(in: -2...2, using: &generator)) }
            if level == depth || (level > 0 && Int.random(in: 0..<4, using: &generator) == 0) {
                let cover = Double(Int.random(in: 1...20, using: &generator))
                tree.cover[node] = cover
                return (node, cover)
            }
            tree.feature[node] = Int32(Int.random(in: 0..<features, using: &generator))
            tree.threshold[node] = Value(Double(Int.random(in: 0...4, using: &generator)))
            tree.defaultLeft[node] = Bool.random(using: &generator)
            if categorical, Int.random(in: 0..<3, using: &generator) == 0 {
                tree.categorical[node] = CategorySplit(categories: [1, 3], listedGoRight: Bool.random(using: &generator))
            }
            let (left, leftCover) = add(level + 1)
            let (right, rightCover) = add(level + 1)
            tree.left[node] = Int32(left)
            tree.right[node] = Int32(right)
            tree.cover[node] = leftCover + rightCover
            return (node, leftCover + rightCover)
        }
        _ = add(0)
        return tree
    }

    private func check<Value: EngineValue>(_: Value.Type, rule: SplitRule, width: Int, groups: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let features = 5
        let trees: [TreeDefinition<Value>] = (0..<6).map { index in
            randomTree(&generator, features: features, depth: 4, width: width,
                       group: width == groups ? 0 : index % groups, categorical: true)
        }
        let base = (0..<groups).map { Double($0) * 0.25 - 0.5 }
        // Tabled (Fast TreeSHAP, the default) and walked (Algorithm 2, past the table budget).
        let tabled = try TreeExplainer(trees: trees, numFeature: features, baseMargins: base, rule: rule)
        let walked = try TreeExplainer(trees: trees, numFeature: features, baseMargins: base, rule: rule, tableBudget: 0)
        #expect(tabled.trees.allSatisfy(\.tabled) && !walked.trees.contains(where: \.tabled))
        let ensemble = try TreeEnsemble(trees: trees, numFeature: features, baseMargins: base.map { Value($0) }, rule: rule)
        for _ in 0..<40 {
            // Values on and between thresholds, some missing.
            let row: [Value] = (0..<features).map { _ in
                let pick = Int.random(in: 0..<10, using: &generator)
                return pick == 0 ? .nan : Value(Double(pick - 2) * 0.5)
            }
            let expected = bruteForce(trees, row: row, groups: groups, base: base, rule: rule)
            let actual = row.withUnsafeBufferPointer { tabled.explain(rows: $0, count: 1) }
            let walkedValues = row.withUnsafeBufferPointer { walked.explain(rows: $0, count: 1) }
            let walkedComparison = NumericComparison(walkedValues, expected, tolerance: .absolute(1e-9), columns: features + 1,
                                                     label: "walked, row \(row)")
            #expect(walkedComparison.matches, "\(walkedComparison)")
            let comparison = NumericComparison(actual, expected, tolerance: .absolute(1e-9), columns: features + 1,
                                               label: "row \(row)")
            #expect(comparison.matches, "\(comparison)")
            // Additivity: bias + Σ contributions is the engine's margin.
            let margins = ensemble.evaluate(row, rows: 1)
            let sums = (0..<groups).map { g in actual[(g * (features + 1))..<((g + 1) * (features + 1))].reduce(0, +) }
            let additivity = NumericComparison(sums, margins.map(Double.init), tolerance: .absolute(1e-5),
                                               label: "additivity, row \(row)")
            #expect(additivity.matches, "\(additivity)")
        }
    }

    @Test func xgboostRulesMatchTheDefinition() throws {
        try check(Float.self, rule: .lessThan, width: 1, groups: 3, seed: 11)
    }

    @Test func sparkRulesMatchTheDefinition() throws {
        try check(Double.self, rule: .lessOrEqual, width: 1, groups: 1, seed: 12)
    }

    @Test func vectorLeavesMatchTheDefinition() throws {
        try check(Double.self, rule: .lessOrEqual, width: 3, groups: 3, seed: 13)
    }

    @Test func treesWithoutUsableCoversAreRefused() throws {
        var tree = TreeDefinition<Float>(left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0],
                                         threshold: [0.5, 0, 0], defaultLeft: [true, false, false],
                                         leafValue: [0, 1, 2], group: 0)
        #expect(throws: TreeEngineError.self) { try TreeExplainer(trees: [tree], numFeature: 1, baseMargins: [0]) }
        tree.cover = [0, 0, 0]
        let error = #expect(throws: TreeEngineError.self) { try TreeExplainer(trees: [tree], numFeature: 1, baseMargins: [0]) }
        #expect(error?.message.contains("node 0: cover 0.0") == true)
        tree.cover = [2, 1, .nan]
        #expect(throws: TreeEngineError.self) { try TreeExplainer(trees: [tree], numFeature: 1, baseMargins: [0]) }
        tree.cover = [2, 1, 1]
        #expect(throws: Never.self) { try TreeExplainer(trees: [tree], numFeature: 1, baseMargins: [0]) }
    }
}
