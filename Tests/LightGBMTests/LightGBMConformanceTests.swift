import ConveyorTestSupport
import Foundation
import LightGBM
import Testing

/// Every fixture model against LightGBM's own predictions on the same rows (one at a time: CPU-bound
/// tests in parallel starve the server suites' timers on a two-core machine).
@Suite(.serialized) struct LightGBMConformanceTests {
    /// The tolerance the issue asks for; `exactCount` below shows how many values match to the bit.
    static let tolerance = NumericTolerance.relative(1e-12)

    @Test func manifestListsTheModels() {
        let names = LightGBMFixtures.models.map(\.name)
        #expect(names == ["binary", "binary_linear", "gamma", "multiclass", "multiclassova", "poisson", "regression",
                          "regression_linear", "regression_sqrt_zero", "rf", "tweedie", "xentropy"])
    }

    @Test(arguments: LightGBMFixtures.models)
    func predictionsEqualLightGBM(_ fixture: LightGBMFixtures.Model) throws {
        let model = try LightGBMModel(contentsOf: fixture.modelURL)
        let input = try LightGBMFixtures.csv(fixture.inputs, header: true)
        #expect(input.rows >= 1_000 && input.rows == fixture.rows)
        #expect(input.names == model.featureNames)
        #expect(model.outputs == fixture.outputs)
        for (kind, file) in [("raw", "\(fixture.name).raw.csv.gz"), ("predict", "\(fixture.name).predict.csv.gz")] {
            let expected = try LightGBMFixtures.csv(file, header: false)
            let actual = kind == "raw" ? try model.rawScores(input.values, rows: input.rows)
                : try model.predictions(input.values, rows: input.rows)
            let comparison = NumericComparison(actual, expected.values, tolerance: Self.tolerance,
                                               columns: fixture.outputs, label: "\(fixture.name) \(kind)")
            #expect(comparison.matches, "\(comparison)")
            let exact = zip(actual, expected.values).filter { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }.count
            #expect(exact == expected.values.count, "\(fixture.name) \(kind): \(exact) of \(expected.values.count) bit for bit")
        }
    }
}
