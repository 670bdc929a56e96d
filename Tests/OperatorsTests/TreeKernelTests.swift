import ConveyorCore
import Foundation
import Testing

@testable import Operators

/// Spark's tree semantics on the engine, value by value: a continuous
/// split sends `x <= t` left and NaN right (`ContinuousSplit`); a
/// categorical split sends its listed categories to their side and every
/// other value, NaN included, to the other (`CategoricalSplit`). Checked
/// on both layouts: complete (shallow trees) and walked (categorical or
/// deeper than 10 levels), and on condition tables (few distinct conditions).
@Suite struct TreeKernelTests {
    static let columns = ClassifierColumns(features: "f", rawPrediction: "raw", probability: "p", prediction: "y")
    static let regression = ClassifierColumns(features: "f", rawPrediction: nil, probability: nil, prediction: "y")

    /// A stump on feature 0 (left leaf 1, right leaf 2), optionally under a
    /// chain of `padding` splits that values up to 1e300 pass to the left
    /// (others leave it right, to leaves worth -100), so the stump sits
    /// deeper than the complete layout goes.
    static func stump(threshold: Double, categories: FittedTree.Categories? = nil, padding: Int = 0) -> FittedTree {
        var tree = FittedTree()
        var parent = -1
        for _ in 0..<padding {
            let node = tree.appendSplit(feature: 0, threshold: 1e300)
            if parent >= 0 { tree.left[parent] = Int32(node) }
            let right = tree.appendLeaf(prediction: -100, stats: [])
            tree.right[node] = Int32(right)
            parent = node
        }
        let split = tree.appendSplit(feature: 0, threshold: threshold, categories: categories)
        if parent >= 0 { tree.left[parent] = Int32(split) }
        tree.left[split] = Int32(tree.appendLeaf(prediction: 1, stats: [3, 1]))
        tree.right[split] = Int32(tree.appendLeaf(prediction: 2, stats: [0, 5]))
        return tree
    }

    static func predict(_ tree: FittedTree, _ values: [Double], tables: Bool = false) throws -> [Double] {
        let model = try TreeModel(trees: [tree], weights: [1], combination: .sum, numFeatures: 1, numClasses: 0,
                                  columns: regression, thresholds: nil, what: "t", conditionTables: tables)
        #expect(model.engine.usesConditionTables == tables)
        let out = try model.transform(try Frame(columns: [.vectors("f", VectorBlock(width: 1, storage: values))]), stage: "s")
        return try #require(out.column("y")).scalarDoubles()
    }

    static let values: [Double] = [
        .nan, 0, -0.0, 0.5, 0.5.nextUp, 0.5.nextDown, 1, -1, .infinity, -.infinity, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 2, 3, 2.5, 1e20,
    ]

    @Test(arguments: [0, 12], [false, true])
    func continuousSplitsSendAtMostTheThresholdLeftAndNaNRight(padding: Int, tables: Bool) throws {
        for threshold in [0.5, 0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, 1e-320] {
            // Every call size: one row, a few, a block of side-by-side rows.
            for copies in [1, 3, 9] {
                let rows = Self.values.flatMap { [Double](repeating: $0, count: copies) }
                let got = try Self.predict(Self.stump(threshold: threshold, padding: padding), rows, tables: tables)
                // NaN <= t is false: right.
                let want = rows.map { padding > 0 && !($0 <= 1e300) ? -100 : $0 <= threshold ? 1.0 : 2.0 }
                #expect(got == want, "threshold \(threshold), \(copies) copies, padding \(padding)")
            }
        }
    }

    @Test(arguments: [true, false])
    func categoricalSplitsSendListedCategoriesToTheirSide(listedGoLeft: Bool) throws {
        let tree = Self.stump(threshold: 0, categories: .init(values: [0, 2, 70], listedGoLeft: listedGoLeft))
        let got = try Self.predict(tree, Self.values + [70, 69, 71, 64])
        let listed: [Bool] = (Self.values + [70, 69, 71, 64]).map { [0.0, 2, 70].contains($0) }
        let want = listed.map { $0 == listedGoLeft ? 1.0 : 2.0 }
        #expect(got == want)
        // -0.0 is category 0, as Spark's Set[Double] compares it.
        #expect(got[2] == (listedGoLeft ? 1 : 2))
    }

    @Test func categoriesThatAreNotIndicesAreRefused() {
        for bad in [-1.0, 0.5, .nan, Double(1 << 24)] {
            let tree = Self.stump(threshold: 0, categories: .init(values: [1, bad], listedGoLeft: true))
            #expect(throws: ConveyorError.self) { _ = try Self.predict(tree, [0]) }
        }
    }

    /// Two trees: a random forest's votes are each leaf's counts over their
    /// total, summed; a decision tree's raw prediction is its leaf's counts.
    @Test func forestVotesAndTreeCountsFollowSpark() throws {
        let trees = [Self.stump(threshold: 0.5), Self.stump(threshold: 1.5)]
        let input = try Frame(columns: [.vectors("f", VectorBlock(width: 1, storage: [0, 1, 2]))])
        let forest = try TreeModel(trees: trees, weights: [1, 1], combination: .votes, numFeatures: 1, numClasses: 2,
                                   columns: Self.columns, thresholds: nil, what: "rf")
        let out = try forest.transform(input, stage: "s")
        guard case .vector(let raw)? = out.column("raw")?.values, case .vector(let p)? = out.column("p")?.values else {
            Issue.record("no raw or probability"); return
        }
        // x=0: both trees left ([3,1]/4 twice); x=1: right then left; x=2: right twice ([0,5]/5).
        let bothLeft: [Double] = [0.75 + 0.75, 0.25 + 0.25], rightThenLeft: [Double] = [0 + 0.75, 1 + 0.25]
        #expect(Array(raw.row(0)) == bothLeft)
        #expect(Array(raw.row(1)) == rightThenLeft)
        #expect(Array(raw.row(2)) == [0, 2])
        let normalized: [Double] = [0.75 / 2, 1.25 / 2]
        #expect(Array(p.row(1)) == normalized)
        #expect(try #require(out.column("y")).scalarDoubles() == [0, 1, 1])
        let single = try TreeModel(trees: [trees[0]], weights: [1], combination: .classCounts, numFeatures: 1,
                                   numClasses: 2, columns: Self.columns, thresholds: [1, 0.1], what: "dt")
        let counts = try single.transform(input, stage: "s")
        guard case .vector(let r)? = counts.column("raw")?.values else { Issue.record("no raw"); return }
        #expect(Array(r.row(0)) == [3, 1])
        // Thresholds: p/t = [0.75, 2.5] picks class 1 although class 0 is likelier.
        #expect(try #require(counts.column("y")).scalarDoubles() == [1, 1, 1])
    }

    /// GBT: the weighted sum of leaf predictions; a classifier's raw is
    /// [−m, m] and p₀ = 1/(1 + e^(2m)); a forest regressor averages.
    @Test func boostedAndAveragedTreesFollowSpark() throws {
        let trees = [Self.stump(threshold: 0.5), Self.stump(threshold: 1.5)]
        let input = try Frame(columns: [.vectors("f", VectorBlock(width: 1, storage: [0, 1, 2]))])
        let gbt = try TreeModel(trees: trees, weights: [1, 0.1], combination: .logistic, numFeatures: 1, numClasses: 2,
                                columns: Self.columns, thresholds: nil, what: "gbt")
        let out = try gbt.transform(input, stage: "s")
        guard case .vector(let raw)? = out.column("raw")?.values, case .vector(let p)? = out.column("p")?.values else {
            Issue.record("no raw or probability"); return
        }
        let m1 = 2 * 1 + 1 * 0.1
        #expect(Array(raw.row(1)) == [-m1, m1])
        #expect(Array(p.row(1)) == [1 / (1 + exp(2 * m1)), 1 - 1 / (1 + exp(2 * m1))])
        let forest = try TreeModel(trees: trees, weights: [1, 1], combination: .mean, numFeatures: 1, numClasses: 0,
                                   columns: Self.regression, thresholds: nil, what: "rf")
        #expect(try #require(forest.transform(input, stage: "s").column("y")).scalarDoubles() == [1, 1.5, 2])
    }

    @Test func corruptTreesAreRefused() {
        var cyclic = Self.stump(threshold: 0)
        cyclic.right[0] = 0
        var outside = Self.stump(threshold: 0)
        outside.feature[0] = 1
        for tree in [cyclic, outside] {
            #expect(throws: ConveyorError.self) { _ = try Self.predict(tree, [0]) }
        }
    }
}
