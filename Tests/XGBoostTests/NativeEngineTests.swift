import ConveyorTestSupport
import Foundation
import Testing
import TreeEngine
@testable import XGBoost

/// The native tree engine must give libxgboost's float32 results bit for
/// bit — margins and values — on every fixture model, over rows built to hit
/// the edges: NaN, values exactly at and one ulp beside split thresholds,
/// ±0, ±infinity and huge magnitudes. Serialized: each case is seconds of
/// CPU in a debug build, and cases side by side would hold every thread of
/// the shared pool that other suites' in-process servers answer on.
@Suite(.serialized) struct NativeEngineTests {
    static let rowsPerModel = 10_240

    @Test(arguments: Fixtures.cases)
    func engineEqualsLibxgboostBitForBit(_ fixture: Fixtures.Case) throws {
        try compare(fixture.url, inputs: Fixtures.url(fixture.version, fixture.input), width: fixture.numFeature,
                    name: "\(fixture)")
    }

    /// Every objective fixture Conveyor loads, categorical splits included:
    /// the engine runs it. (What libxgboost cannot load has no reference here:
    /// ObjectiveConformanceTests checks it against its producer.)
    @Test(arguments: ObjectiveFixtures.cases.filter {
        ObjectiveConformanceTests.supported.contains($0.key) && $0.model != "dart_logistic"
            && $0.model != "gblinear_logistic" && !ObjectiveConformanceTests.nativeOnly.contains($0.key)
    })
    func objectiveModelsEqualLibxgboostBitForBit(_ fixture: ObjectiveFixtures.Case) throws {
        try compare(fixture.url, inputs: ObjectiveFixtures.url(fixture.version, fixture.input),
                    width: fixture.numFeature, name: "\(fixture)")
    }

    @Test func objectiveModelsCoverTheSupportedSet() {
        let supported = ObjectiveFixtures.cases.filter { ObjectiveConformanceTests.supported.contains($0.key) }
        #expect(supported.count == ObjectiveConformanceTests.supported.count)
        #expect(supported.count >= 40)
    }

    /// DART has no libxgboost reference (1.7.4 ignores 3.x files' tree
    /// weights and is off in the last bits on 2.x files): the engine alone
    /// predicts it (ObjectiveConformanceTests checks it against XGBoost
    /// 3.4.1's and 2.1.4's own output), forcing libxgboost is refused, and
    /// the library path refuses to answer for it.
    @Test(arguments: ["3.4.1/json", "3.4.1/ubj", "2.1.4/json", "2.1.4/ubj"])
    func dartRunsOnlyOnTheEngine(file: String) throws {
        let parts = file.split(separator: "/").map(String.init)
        let url = ObjectiveFixtures.url(parts[0], "dart_logistic.\(parts[1])")
        let booster = try Booster(contentsOf: url)
        #expect(booster.nativeEngine != nil && booster.engineDescription == "native")
        do {
            _ = try Booster(contentsOf: url, options: .init(engine: .libxgboost))
            Issue.record("forcing libxgboost on a 3.x DART model must be refused")
        } catch {
            #expect(error.code == .unsupportedModel)
            #expect(error.message.contains("DART") && error.message.contains("libxgboost was chosen"), "\(error)")
        }
        let row = [Float](repeating: 1, count: booster.facts.numFeature)
        #expect(throws: XGBoostError.self) {
            _ = try row.withUnsafeBufferPointer { try booster.libraryPredict($0, rows: 1) }
        }
    }

    /// Categorical splits at the values XGBoost 1.7.4's `Decision` treats
    /// specially: negative (even -0), fractions (cast to the category
    /// below), categories past the largest listed one, 2^24 and beyond,
    /// infinities and NaN (the default way). Every feature gets them, in
    /// every row, at random, so categorical and numeric splits both see them.
    @Test(arguments: ObjectiveFixtures.cases.filter {
        ObjectiveConformanceTests.supported.contains($0.key) && $0.model.hasPrefix("categorical")
            && !ObjectiveConformanceTests.nativeOnly.contains($0.key)
    })
    func categoricalEdgesEqualLibxgboost(_ fixture: ObjectiveFixtures.Case) throws {
        let native = try Booster(contentsOf: fixture.url)
        let library = try Booster(contentsOf: fixture.url, options: .init(engine: .libxgboost))
        #expect(native.engineDescription == "native")
        let edges: [Float] = [-1, -0.0, 0, 0.5, 1, 1.99, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65,
                              1e9, 16_777_215, 16_777_216, -16_777_216, .infinity, -.infinity, .nan, -0.5]
        let base = try Fixtures.csv(ObjectiveFixtures.url(fixture.version, fixture.input))
        let width = fixture.numFeature
        var generator = SeededGenerator(seed: 11)
        var features: [Float] = []
        let rows = 4_000
        for row in 0..<rows {
            for column in 0..<width {
                let original = Float(base[row % base.count][column])
                features.append(Double.random(in: 0..<1, using: &generator) < 0.4
                    ? edges[Int.random(in: 0..<edges.count, using: &generator)] : original)
            }
        }
        let expected = try library.predict(features, rows: rows, output: .margin)
        let actual = try native.predict(features, rows: rows, output: .margin)
        let differing = zip(actual.values, expected.values).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(actual.values.count == expected.values.count && differing == 0,
                "\(fixture): \(differing) of \(expected.values.count) margins differ")
    }

    /// gblinear: Conveyor's linear evaluator is its only predictor
    /// (ObjectiveConformanceTests checks it against the producers' own
    /// output); forcing libxgboost and the library path are refused, and a
    /// weights array of the wrong length is refused at load.
    @Test(arguments: ["3.4.1", "2.1.4"])
    func gblinearRunsOnlyNatively(version: String) throws {
        let url = ObjectiveFixtures.url(version, "gblinear_logistic.json")
        let booster = try Booster(contentsOf: url)
        #expect(booster.linearModel != nil && booster.nativeEngine == nil)
        #expect(booster.engineDescription == "native (linear model)")
        #expect(throws: XGBoostError.self) { _ = try Booster(contentsOf: url, options: .init(engine: .libxgboost)) }
        let row = [Float](repeating: 1, count: booster.facts.numFeature)
        #expect(throws: XGBoostError.self) { _ = try row.withUnsafeBufferPointer { try booster.libraryPredict($0, rows: 1) } }
        // One weight short: refused before libxgboost sees it.
        var text = try String(contentsOf: url, encoding: .utf8)
        let weights = try #require(text.range(of: #""weights":["#))
        let first = try #require(text[weights.upperBound...].firstIndex(of: ","))
        text.removeSubrange(weights.upperBound...first)
        do {
            _ = try Booster(modelData: Array(text.utf8))
            Issue.record("a gblinear model with too few weights loaded")
        } catch {
            #expect(error.code == .corruptModel && error.message.contains("weights"), "\(error)")
        }
    }

    func compare(_ url: URL, inputs inputURL: URL, width: Int, name: String) throws {
        let native = try Booster(contentsOf: url)
        let library = try Booster(contentsOf: url, options: .init(engine: .libxgboost))
        #expect(library.nativeEngine == nil)
        let engine = try #require(native.nativeEngine, "\(name): \(native.engineDescription)")
        #expect(native.engineDescription == "native")

        let inputs = try Fixtures.csv(inputURL)
        let features = EdgeRows.make(base: inputs, thresholds: Self.thresholds(engine), count: Self.rowsPerModel,
                                     seed: UInt64(name.utf8.count * 1_000 + width))
        let rows = features.count / width
        #expect(rows == Self.rowsPerModel)
        for output in [PredictionOutput.margin, .value] {
            let expected = try library.predict(features, rows: rows, output: output)
            let actual = try native.predict(features, rows: rows, output: output)
            #expect(actual.groups == expected.groups && actual.rows == expected.rows, "\(name) \(output) shape")
            #expect(actual.values.count == expected.values.count)
            var differing = 0
            var first = ""
            for (index, (engine, library)) in zip(actual.values, expected.values).enumerated()
            where engine.bitPattern != library.bitPattern {
                if differing == 0 { first = "index \(index): engine \(engine), libxgboost \(library)" }
                differing += 1
            }
            #expect(differing == 0, "\(name) \(output): \(differing) of \(expected.values.count) values differ, first at \(first)")
        }
    }

    /// Calls of every size — one row, a few, not a multiple of the four
    /// rows or 64-row blocks the engine groups — give the same bits as one
    /// large libxgboost call.
    @Test func everyCallSizeGivesTheSameBits() throws {
        for fixture in Fixtures.cases where fixture.format == "ubj" && fixture.version == "3.4.1" {
            let native = try Booster(contentsOf: fixture.url)
            let library = try Booster(contentsOf: fixture.url, options: .init(engine: .libxgboost))
            let inputs = try Fixtures.csv(Fixtures.url(fixture.version, fixture.input))
            let engine = try #require(native.nativeEngine)
            let width = fixture.numFeature
            let features = EdgeRows.make(base: inputs, thresholds: Self.thresholds(engine), count: 1_000, seed: 5)
            let expected = try library.predict(features, rows: 1_000, output: .margin)
            var actual: [Float] = []
            var start = 0, call = 0
            let sizes = [1, 2, 3, 5, 7, 63, 65, 129]
            while start < 1_000 {
                let rows = min(sizes[call % sizes.count], 1_000 - start)
                let slice = Array(features[(start * width)..<((start + rows) * width)])
                actual += try native.predict(slice, rows: rows, output: .margin).values
                start += rows
                call += 1
            }
            #expect(actual.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(fixture)")
        }
    }

    /// The walked layout (for trees deeper than the complete layout takes)
    /// and mixes of both, on every model: each tree deeper than the limit
    /// is walked. Condition tables are off: they would take the models with
    /// few conditions.
    @Test(arguments: [0, 1, 2])
    func walkedLayoutEqualsLibxgboost(limit: Int) throws {
        for fixture in Fixtures.cases where fixture.format == "json" {
            let library = try Booster(contentsOf: fixture.url, options: .init(engine: .libxgboost))
            let handle = try #require(library.handle, "\(fixture): libxgboost loads every conformance fixture")
            let engine = try Booster.compileEngine(handle, facts: library.facts, completeDepthLimit: limit,
                                                     conditionTables: false)
            let inputs = try Fixtures.csv(Fixtures.url(fixture.version, fixture.input))
            let features = EdgeRows.make(base: inputs, thresholds: Self.thresholds(engine), count: 1_000, seed: 3)
            let expected = try library.predict(features, rows: 1_000, output: .margin)
            let actual = engine.margins(features, rows: 1_000)
            #expect(!engine.usesConditionTables)
            #expect(actual.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(fixture), limit \(limit)")
        }
    }

    /// Thresholds per feature, from libxgboost's own export of the model (an
    /// input for building rows, never an expected value).
    static func thresholds(_ engine: TreeEnsemble<Float>) -> [[Float]] {
        var perFeature = [[Float]](repeating: [], count: engine.numFeature)
        for (feature, threshold) in engine.splitThresholds() { perFeature[feature].append(threshold) }
        return perFeature
    }
}

/// Rows that start from real fixture inputs and replace features at random
/// with edge values. Deterministic (SplitMix64).
enum EdgeRows {
    static func make(base: [[Double]], thresholds: [[Float]], count: Int, seed: UInt64) -> [Float] {
        var random = SeededGenerator(seed: seed)
        let width = thresholds.count
        var out: [Float] = []
        out.reserveCapacity(count * width)
        let specials: [Float] = [.nan, 0, -0.0, .infinity, -.infinity, 1e30, -1e30, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1, -1]
        for row in 0..<count {
            let source = base[row % base.count]
            for feature in 0..<width {
                var value = Float(feature < source.count ? source[feature] : .nan)
                let roll = random.next() % 8
                let cuts = thresholds[feature]
                if roll < 3, !cuts.isEmpty {
                    let cut = cuts[Int(random.next() % UInt64(cuts.count))]
                    switch random.next() % 3 {
                    case 0: value = cut
                    case 1: value = cut.nextUp
                    default: value = cut.nextDown
                    }
                } else if roll == 3 {
                    value = specials[Int(random.next() % UInt64(specials.count))]
                }
                out.append(value)
            }
        }
        return out
    }
}

