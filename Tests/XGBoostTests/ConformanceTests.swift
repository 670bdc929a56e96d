import ConveyorTestSupport
import Foundation
import Testing
@testable import XGBoost

/// Predictions must equal the producing XGBoost's own exactly (the float32
/// results widened to double, as the fixtures print them), for every version,
/// format and objective in the fixtures, including 3.4.1's vector
/// base_score that libxgboost 1.7.4 cannot read by itself.
/// Serialized, as NativeEngineTests: cases side by side hold the test pool's
/// threads that other suites' in-process servers answer on.
@Suite(.serialized) struct ConformanceTests {
    @Test func fixturesArePresent() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { FileManager.default.fileExists(atPath: "\(Fixtures.directory.path)/\($0)/manifest.json") }
        #expect(onDisk.sorted() == Fixtures.versions, "version folders on disk")
        #expect(Fixtures.loaded.problems.isEmpty, "\(Fixtures.loaded.problems)")
        let found = Fixtures.cases.map { "\($0.version)/\($0.model)/\($0.format)" }
        #expect(found.count == 88 && Fixtures.expectedCases.count == 88)
        #expect(Set(found) == Fixtures.expectedCases,
                "missing: \(Fixtures.expectedCases.subtracting(found).sorted()), extra: \(Set(found).subtracting(Fixtures.expectedCases).sorted())")
        for fixture in Fixtures.cases {
            #expect(FileManager.default.fileExists(atPath: fixture.url.path), "\(fixture) is in the manifest but not on disk")
        }
    }

    @Test(arguments: Fixtures.cases)
    func predictionsMatchProducer(_ fixture: Fixtures.Case) throws {
        let booster = try Booster(contentsOf: fixture.url)
        let inputs = try Fixtures.csv(Fixtures.url(fixture.version, fixture.input))
        let features = Fixtures.floatMatrix(inputs)

        let expected = try Fixtures.csv(Fixtures.url(fixture.version, fixture.pred))
        let prediction = try booster.predict(features, rows: inputs.count)
        try expectClose(prediction, expected, columns: fixture.predColumns, what: "\(fixture) prediction")

        let expectedMargins = try Fixtures.csv(Fixtures.url(fixture.version, fixture.margin))
        let margins = try booster.predict(features, rows: inputs.count, output: .margin)
        try expectClose(margins, expectedMargins, columns: fixture.marginColumns, what: "\(fixture) margin")
    }

    @Test(arguments: Fixtures.cases)
    func factsMatchManifest(_ fixture: Fixtures.Case) throws {
        let facts = try Booster(contentsOf: fixture.url).facts
        #expect(facts.objective.rawValue == fixture.objective)
        #expect(facts.numFeature == fixture.numFeature)
        #expect(facts.numClass == fixture.numClass)
        #expect(facts.boostedRounds == fixture.rounds)
        #expect(facts.trees == fixture.rounds * max(fixture.numClass, 1))
        #expect(facts.format.rawValue == ["json": "json", "ubj": "ubjson", "legacy_binary": "legacy_binary"][fixture.format])
        if fixture.format == "legacy_binary" {
            #expect(facts.producerVersion == nil)
        } else {
            #expect(facts.producerVersionString == fixture.version)
            #expect(facts.storedBaseScore == fixture.baseScore)
        }
        // Only 3.1+ vector base_scores need (and get) the correction.
        #expect(facts.baseScoreCorrected == fixture.baseScore.hasPrefix("["))
    }

    private func expectClose(_ prediction: Prediction, _ expected: [[Double]], columns: Int,
                             what: String) throws {
        try #require(prediction.rows == expected.count, "\(what): row count")
        try #require(prediction.groups == columns, "\(what): values per row")
        for (row, values) in expected.enumerated() {
            try #require(values.count == columns, "\(what): expected row \(row) has \(values.count) values")
        }
        let result = NumericComparison(prediction.values, expected.flatMap { $0 }, tolerance: .exact,
                                       columns: columns, label: what)
        #expect(result.matches, "\(result)")
    }
}
