import ConveyorTestSupport
import Foundation
import Testing
import TreeEngine
@testable import XGBoost

/// Models libxgboost 1.7.4 cannot load get their trees from Conveyor's own
/// parse of the file instead of libxgboost's export. That parse must give
/// the very floats libxgboost reads: on every model libxgboost does load
/// (1.7.6–3.4.1, JSON and UBJSON, the objectives fixtures included), the
/// engine built from Conveyor's parse equals libxgboost bit for bit over
/// edge rows, and both readings hold the same threshold and leaf bits.
/// The models are compared off the cooperative pool: minutes of CPU in a
/// debug build there would starve the in-process servers other suites run.
@Suite(.serialized) struct NativeParseTests {
    static let rows = 1_024

    static var libraryLoadable: [(name: String, url: URL, input: URL, width: Int)] {
        Fixtures.cases.filter { $0.format != "legacy_binary" }.map {
            ("\($0)", $0.url, Fixtures.url($0.version, $0.input), $0.numFeature)
        } + ObjectiveFixtures.cases.filter {
            $0.format != "legacy_binary" && ObjectiveConformanceTests.supported.contains($0.key)
                && !ObjectiveConformanceTests.nativeOnly.contains($0.key) && $0.model != "gblinear_logistic"
                && $0.model != "dart_logistic"
        }.map { ("\($0)", $0.url, ObjectiveFixtures.url($0.version, $0.input), $0.numFeature) }
    }

    @Test func everyLoadableJSONAndUBJSONModelIsCompared() {
        // 88 conformance files less 22 legacy binary, and the objective models libxgboost loads.
        #expect(Self.libraryLoadable.count >= 66 + 30, "\(Self.libraryLoadable.count)")
    }

    @Test func conveyorsParseGivesLibxgboostsFloats() async throws {
        let problems = try await offPool { try Self.compareAll() }
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    }

    /// Every difference found, as text (the comparison runs off the test's task).
    static func compareAll() throws -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ what: @autoclosure () -> String) { if !condition { problems.append(what()) } }
        for model in Self.libraryLoadable {
            let bytes = [UInt8](try Data(contentsOf: model.url))
            guard let parsed = try Booster.readModel(bytes, format: ModelFormat.detect(bytes)) else {
                problems.append("\(model.name): no parsed document")
                continue
            }
            let library = try Booster(modelData: bytes, options: .init(engine: .libxgboost))
            guard let handle = library.handle else {
                problems.append("\(model.name): libxgboost did not load it")
                continue
            }
            let own = try Booster.nativeTrees(parsed.document, facts: library.facts,
                                              treeWeights: parsed.stored.treeWeights)
            let exported = try Booster.nativeTrees(try Booster.exportedModel(handle), facts: library.facts,
                                                   treeWeights: parsed.stored.treeWeights)
            check(own.definitions.count == exported.definitions.count, "\(model.name): tree counts differ")
            for (index, (mine, theirs)) in zip(own.definitions, exported.definitions).enumerated() {
                check(mine.threshold.map(\.bitPattern) == theirs.threshold.map(\.bitPattern),
                      "\(model.name) tree \(index): thresholds differ")
                check(mine.leafValue.map(\.bitPattern) == theirs.leafValue.map(\.bitPattern),
                      "\(model.name) tree \(index): leaf values differ")
                check(mine.left == theirs.left && mine.right == theirs.right && mine.feature == theirs.feature
                        && mine.defaultLeft == theirs.defaultLeft && mine.categorical == theirs.categorical
                        && mine.group == theirs.group, "\(model.name) tree \(index): structure differs")
            }
            check(own.baseMargins.map(\.bitPattern) == exported.baseMargins.map(\.bitPattern),
                  "\(model.name): base margins differ")

            let engine = try TreeEnsemble(trees: own.definitions, numFeature: model.width, baseMargins: own.baseMargins)
            let inputs = try Fixtures.csv(model.input)
            let features = EdgeRows.make(base: inputs, thresholds: NativeEngineTests.thresholds(engine),
                                         count: Self.rows, seed: 11)
            let expected = try library.predict(features, rows: Self.rows, output: .margin)
            let actual = engine.margins(features, rows: Self.rows)
            check(actual.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(model.name): margins differ")
        }
        return problems
    }
}
