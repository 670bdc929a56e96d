import ConveyorTestSupport
import Foundation
import Testing
import XGBoost

/// Attributions equal the producing XGBoost's own
/// `Booster.predict(..., pred_contribs=True)` (`<model>.contribs.csv`,
/// training/xgboost_contribs.py) for every conformance model and format of
/// 1.7.6–3.4.1 and the tree models of the objective fixtures. XGBoost sums
/// in float32 (3.4 by quadrature), the explainer in double: 1e-6 apart, absolute
/// or relative. One case at a time, as the other conformance suites: the
/// in-process servers of other suites need the test pool's threads.
@Suite(.serialized) struct ExplanationConformanceTests {
    /// The objective fixtures that load (the objective conformance suite's
    /// list), gblinear included (its contributions are weight × value).
    static var objectiveCases: [ObjectiveFixtures.Case] {
        ObjectiveFixtures.cases.filter { ObjectiveConformanceTests.supported.contains($0.key) && $0.format != "ubj" }
    }

    /// XGBoost's float32 values are rounded at a few units in the last place:
    /// 1e-6 absolute near zero, relative to larger values (biases near 40).
    static let tolerance = NumericTolerance(absolute: 1e-6, relative: 1e-6)

    @Test func everyExplainedModelHasItsContributions() throws {
        #expect(Fixtures.cases.count == Fixtures.expectedCases.count)
        #expect(Self.conformanceCases.count == 8 * 4 + 2 * 7)
        #expect(Set(Self.objectiveCases.map(\.model)).count == 18)
        for version in Fixtures.versions {
            for model in Fixtures.expectedModels {
                let url = Fixtures.url(version, "\(model).contribs.csv")
                #expect(FileManager.default.fileExists(atPath: url.path), "\(url.path)")
            }
        }
        for fixture in Self.objectiveCases {
            let url = ObjectiveFixtures.url(fixture.version, "\(fixture.model).contribs.csv")
            #expect(FileManager.default.fileExists(atPath: url.path), "\(url.path)")
        }
    }

    /// Every model as JSON; the other formats (whose covers libxgboost reads
    /// from another layout) for one binary and one multi-class model, which
    /// keeps the suite light on the test pool the in-process servers share.
    static var conformanceCases: [Fixtures.Case] {
        Fixtures.cases.filter { $0.format == "json" || ["binary_logistic", "multi_softprob"].contains($0.model) }
    }

    @Test(arguments: conformanceCases)
    func conformanceModels(_ fixture: Fixtures.Case) throws {
        try check(Booster(contentsOf: fixture.url), folder: fixture.url.deletingLastPathComponent(),
                  model: fixture.model, input: fixture.input, what: "\(fixture)")
    }

    @Test(arguments: objectiveCases)
    func objectiveModels(_ fixture: ObjectiveFixtures.Case) throws {
        if fixture.version == "2.1.4" && fixture.model == "multi_output_tree" {
            // 2.1.4 saves vector-leaf trees without covers (its own
            // pred_contribs gives only the bias, which does not add up to
            // the margin): explaining them is refused, naming why.
            let booster = try Booster(contentsOf: fixture.url)
            #expect(throws: XGBoostError.self) { try booster.explainer() }
            #expect(booster.explanationMethod == "tree_shap")
            do {
                _ = try booster.explainer()
            } catch {
                #expect(error.message.contains("covers"), "\(error)")
            }
            return
        }
        try check(Booster(contentsOf: fixture.url), folder: fixture.url.deletingLastPathComponent(),
                  model: fixture.model, input: fixture.input, what: "\(fixture)")
    }

    private func check(_ booster: Booster, folder: URL, model: String, input: String, what: String) throws {
        let inputs = try Fixtures.csv(folder.appendingPathComponent(input))
        let features = Fixtures.floatMatrix(inputs)
        let expected = try Fixtures.csv(folder.appendingPathComponent("\(model).contribs.csv"))
        let width = try booster.explainedGroups() * (booster.facts.numFeature + 1)
        try #require(expected.count == inputs.count && expected.allSatisfy { $0.count == width },
                     "\(what): \(expected.count) rows of contributions, \(width) values each expected")
        let actual = try features.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try booster.contributions(buffer, rows: inputs.count)
        }
        let comparison = NumericComparison(actual, expected.flatMap { $0 }, tolerance: Self.tolerance,
                                           columns: width, label: "\(what) contributions")
        #expect(comparison.matches, "\(comparison)")

        // Additivity against the engine's own margins, row by row and group by group.
        let margins = try booster.predict(features, rows: inputs.count, output: .margin)
        let groups = try booster.explainedGroups()
        #expect(booster.explanationMethod == (model.hasPrefix("gblinear") ? "linear" : "tree_shap"))
        let stride = booster.facts.numFeature + 1
        let sums = (0..<(inputs.count * groups)).map { actual[($0 * stride)..<(($0 + 1) * stride)].reduce(0, +) }
        let additivity = NumericComparison(sums, margins.values.map(Double.init), tolerance: NumericTolerance(absolute: 1e-5, relative: 1e-6),
                                           columns: groups, label: "\(what) additivity")
        #expect(additivity.matches, "\(additivity)")
    }

    @Test func libraryModelsAreRefusedByName() throws {
        let library = try Booster(contentsOf: Fixtures.url("3.4.1", "binary_logistic.json"),
                                  options: .init(engine: .libxgboost))
        let chosen = #expect(throws: XGBoostError.self) { try library.explainer() }
        #expect(chosen?.message.contains("libxgboost was chosen") == true, "\(String(describing: chosen))")
    }
}
