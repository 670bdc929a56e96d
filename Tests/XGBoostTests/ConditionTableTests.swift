import ConveyorTestSupport
import Foundation
import Testing
@testable import TreeEngine
@testable import XGBoost

/// Condition tables (the engine's form for models whose splits test few
/// distinct conditions) against libxgboost, bit for bit, on the real models
/// that take them: the two Car models the bundled pipelines serve (one-hot
/// features; trained by training/car_evaluation.py and by PySpark's
/// xgboost.spark) and the conformance fixtures with few conditions.
/// `NativeEngineTests` runs every fixture through whichever form it gets;
/// this suite says which form that is, so a change that stops using the
/// tables cannot pass unnoticed.
@Suite(.serialized) struct ConditionTableTests {
    static let carModels: [(name: String, path: String)] = [
        ("scikit-learn Car", "models/car-evaluation/xgboost.json"),
        ("Spark Car", "models/car-evaluation-spark/pipeline/stages/3_SparkXGBClassifier_9f18e69e3d97/model/part-00000"),
    ]

    @Test(arguments: carModels.map(\.name))
    func carModelsUseTablesAndEqualLibxgboost(name: String) throws {
        let path = try #require(Self.carModels.first { $0.name == name }?.path)
        let url = Fixtures.root.appendingPathComponent(path)
        let library = try Booster(contentsOf: url, options: .init(engine: .libxgboost))
        let native = try Booster(contentsOf: url)
        let engine = try #require(native.nativeEngine)
        #expect(engine.usesConditionTables, "\(name): \(engine.evaluation)")
        // Rows of 0/1 features as the one-hot stage writes them, with edges
        // mixed in: NaN, ±0, the thresholds and their neighbours, huge values.
        let width = native.facts.numFeature
        var random = SeededGenerator(seed: 11)
        let base = (0..<64).map { _ in (0..<width).map { _ in Double(random.next() % 2) } }
        let features = EdgeRows.make(base: base, thresholds: NativeEngineTests.thresholds(engine),
                                     count: NativeEngineTests.rowsPerModel, seed: 12)
        try Self.expectSameBits(native, library, features, width: width, name: name)
    }

    /// Fixtures whose splits use at most 64 distinct conditions take the
    /// tables; those with more descend. Both equal libxgboost.
    @Test func fixturesTakeTablesExactlyWhenConditionsAreFew() throws {
        var tabled = 0, descended = 0
        for fixture in Fixtures.cases where fixture.format == "json" {
            let native = try Booster(contentsOf: fixture.url)
            let engine = try #require(native.nativeEngine)
            let conditions = try Self.distinctConditions(fixture.url)
            #expect(engine.usesConditionTables == (conditions <= 64), "\(fixture): \(conditions) conditions")
            if engine.usesConditionTables { tabled += 1 } else { descended += 1 }
        }
        #expect(tabled >= 8 && descended >= 8, "tables \(tabled), descent \(descended)")
    }

    /// Call sizes below the four rows the block path takes, and blocks that
    /// are not whole, against one libxgboost call.
    @Test func everyCallSizeThroughTheTables() throws {
        let url = Fixtures.root.appendingPathComponent(Self.carModels[0].path)
        let library = try Booster(contentsOf: url, options: .init(engine: .libxgboost))
        let native = try Booster(contentsOf: url)
        let engine = try #require(native.nativeEngine)
        let width = native.facts.numFeature
        let features = EdgeRows.make(base: [[Double]](repeating: [Double](repeating: 1, count: width), count: 1),
                                     thresholds: NativeEngineTests.thresholds(engine), count: 500, seed: 4)
        let expected = try library.predict(features, rows: 500, output: .margin).values
        var actual: [Float] = []
        var start = 0, call = 0
        let sizes = [1, 2, 3, 4, 5, 63, 64, 65, 129]
        while start < 500 {
            let rows = min(sizes[call % sizes.count], 500 - start)
            actual += engine.margins(Array(features[(start * width)..<((start + rows) * width)]), rows: rows)
            start += rows
            call += 1
        }
        #expect(actual.count == expected.count)
        let differing = zip(actual, expected).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(expected.count) margins differ")
    }

    /// Past the limits the engine descends instead: 65 distinct conditions
    /// in all, or 13 in one tree.
    @Test func limitsFallBackToDescent() throws {
        func chain(_ thresholds: [Float]) -> TreeDefinition<Float> {
            // A right-leaning chain of splits on feature 0, one per threshold.
            let n = thresholds.count
            var left: [Int32] = [], right: [Int32] = [], threshold: [Float] = [], leaf: [Float] = []
            for (index, value) in thresholds.enumerated() {
                left.append(Int32(n + 1 + index))
                right.append(index + 1 < n ? Int32(index + 1) : Int32(n))
                threshold.append(value)
                leaf.append(0)
            }
            left.append(-1); right.append(-1); threshold.append(0); leaf.append(Float(n))
            for index in 0..<n {
                left.append(-1); right.append(-1); threshold.append(0); leaf.append(Float(index))
            }
            let count = left.count
            return TreeDefinition(left: left, right: right, feature: [Int32](repeating: 0, count: count),
                                  threshold: threshold, defaultLeft: [Bool](repeating: false, count: count),
                                  leafValue: leaf, group: 0)
        }
        let twelve = try TreeEnsemble(trees: [chain((0..<12).map(Float.init))], numFeature: 1, baseMargins: [0])
        #expect(twelve.usesConditionTables)
        let thirteen = try TreeEnsemble(trees: [chain((0..<13).map(Float.init))], numFeature: 1, baseMargins: [0])
        #expect(!thirteen.usesConditionTables)
        let sixtyFour = (0..<8).map { tree in chain((0..<8).map { Float(tree * 8 + $0) }) }
        #expect(try TreeEnsemble(trees: sixtyFour, numFeature: 1, baseMargins: [0]).usesConditionTables)
        let sixtyFive = sixtyFour + [chain([1_000])]
        #expect(try !TreeEnsemble(trees: sixtyFive, numFeature: 1, baseMargins: [0]).usesConditionTables)
        // Each answers every value as its chain says: leaf i for i ≤ x < i+1.
        for value: Float in [-1, 0, 0.5, 3, 11, 11.5, 12, 12.5, 100, .nan] {
            let want: Float = value.isNaN ? 12 : value < 0 ? 0 : min(12, value.rounded(.down) + 1)
            #expect(twelve.margins([value], rows: 1) == [want], "x=\(value)")
        }
    }

    /// The search stops when the ensemble's budget of checked combinations
    /// is spent, so that a crafted model cannot make loading search for
    /// long; the ensemble then descends.
    @Test func theSearchStopsAtItsBudget() {
        // 8 conditions spread over the word, every combination its own leaf.
        let positions: [UInt64] = [1, 7, 13, 22, 31, 40, 50, 61]
        let combinations = (0..<256).map { value in
            positions.enumerated().reduce(UInt64(0)) { $0 | (UInt64(value) >> UInt64($1.offset) & 1) << $1.element }
        }
        let leaves = (0..<256).map { Int32($0) }
        var plenty = MagicSearch.ensembleBudget
        let found = MagicSearch.find(combinations, leaves, conditions: 8, seed: 1, budget: &plenty)
        #expect(found != nil && plenty < MagicSearch.ensembleBudget)
        if let found {
            // Every combination lands on its own leaf.
            let shift = UInt64(64 - found.bits)
            #expect(combinations.indices.allSatisfy { found.slots[Int((combinations[$0] &* found.magic) >> shift)] == leaves[$0] })
        }
        var little = 100
        #expect(MagicSearch.find(combinations, leaves, conditions: 8, seed: 1, budget: &little) == nil)
        #expect(little <= 0)
    }

    static func expectSameBits(_ native: Booster, _ library: Booster, _ features: [Float], width: Int,
                               name: String) throws {
        let rows = features.count / width
        for output in [PredictionOutput.margin, .value] {
            let expected = try library.predict(features, rows: rows, output: output).values
            let actual = try native.predict(features, rows: rows, output: output).values
            #expect(actual.count == expected.count)
            let differing = zip(actual, expected).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(name) \(output): \(differing) of \(expected.count) values differ")
        }
    }

    /// Distinct (feature, threshold, default direction) over a model's
    /// splits, read with JSONSerialization (not the engine's reader).
    static func distinctConditions(_ url: URL) throws -> Int {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let learner = try #require(document["learner"] as? [String: Any])
        let booster = try #require(learner["gradient_booster"] as? [String: Any])
        let model = try #require((booster["model"] ?? (booster["gbtree"] as? [String: Any])?["model"]) as? [String: Any])
        let trees = try #require(model["trees"] as? [[String: Any]])
        var seen = Set<String>()
        for tree in trees {
            let left = try #require(tree["left_children"] as? [Int])
            let feature = try #require(tree["split_indices"] as? [Int])
            let threshold = try #require(tree["split_conditions"] as? [Double])
            let defaultLeft = try #require(tree["default_left"] as? [Any])
            for node in left.indices where left[node] != -1 {
                seen.insert("\(feature[node]) \(Float(threshold[node]).bitPattern) \(defaultLeft[node])")
            }
        }
        return seen.count
    }
}
