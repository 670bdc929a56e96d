import ConveyorCore
import ConveyorTestSupport
import Foundation
import LightGBM
import Testing

/// TreeSHAP on the tree engine against LightGBM's own `pred_contrib` on the
/// fixture models' 1,000 rows (NaN, zeros, values under the zero threshold,
/// thresholds and their neighbours, odd categories): LightGBM computes in
/// double too, so only the order of the additions differs.
@Suite(.serialized) struct LightGBMExplanationTests {
    static let tolerance = NumericTolerance(absolute: 1e-12, relative: 1e-10)

    static var explained: [LightGBMFixtures.Model] { LightGBMFixtures.models.filter { $0.contrib != nil } }

    @Test func everyModelWithoutLinearTreesHasContributions() {
        #expect(Self.explained.map(\.name) == ["binary", "gamma", "multiclass", "multiclassova", "poisson", "regression",
                                               "regression_sqrt_zero", "rf", "tweedie", "xentropy"])
    }

    @Test(arguments: explained)
    func contributionsEqualLightGBM(_ fixture: LightGBMFixtures.Model) throws {
        let model = try LightGBMModel(contentsOf: fixture.modelURL)
        let input = try LightGBMFixtures.csv(fixture.inputs, header: true)
        let expected = try LightGBMFixtures.csv(try #require(fixture.contrib), header: false)
        let width = fixture.outputs * (model.numFeature + 1)
        #expect(expected.rows == input.rows && expected.values.count == input.rows * width)
        let actual = try model.contributions(input.values, rows: input.rows)
        let comparison = NumericComparison(actual, expected.values, tolerance: Self.tolerance, columns: width,
                                           label: "\(fixture.name) contributions")
        #expect(comparison.matches, "\(comparison)")

        // They add up to LightGBM's raw scores (its own file, not ours).
        let raw = try LightGBMFixtures.csv("\(fixture.name).raw.csv.gz", header: false)
        var sums: [Double] = []
        for row in 0..<input.rows {
            for output in 0..<fixture.outputs {
                let start = row * width + output * (model.numFeature + 1)
                sums.append(actual[start..<(start + model.numFeature + 1)].reduce(0, +))
            }
        }
        let additivity = NumericComparison(sums, raw.values, tolerance: NumericTolerance(absolute: 1e-10, relative: 1e-10),
                                           columns: fixture.outputs, label: "\(fixture.name) sums")
        #expect(additivity.matches, "\(additivity)")
    }

    @Test func linearTreesAreRefusedByName() throws {
        let fixture = try #require(LightGBMFixtures.models.first { $0.name == "binary_linear" })
        let model = try LightGBMModel(contentsOf: fixture.modelURL)
        let error = #expect(throws: ConveyorError.self) { try model.contributions([Double](repeating: 0, count: model.numFeature), rows: 1) }
        #expect(error?.message.contains("linear trees") == true, "\(String(describing: error))")
    }

    @Test func modelsWithoutCountsAreRefusedByName() throws {
        let fixture = try #require(LightGBMFixtures.models.first { $0.name == "regression" })
        let text = try String(contentsOf: fixture.modelURL, encoding: .utf8)
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("internal_count=") && !$0.hasPrefix("leaf_count=") && !$0.hasPrefix("tree_sizes=") }
            .joined(separator: "\n")
        let model = try LightGBMModel(bytes: Array(stripped.utf8), source: "stripped.txt")
        // Still predicts as before: the counts only serve explanations.
        let input = try LightGBMFixtures.csv(fixture.inputs, header: true)
        let expected = try LightGBMFixtures.csv("regression.raw.csv.gz", header: false)
        #expect(try model.rawScores(input.values, rows: input.rows) == expected.values)
        let error = #expect(throws: ConveyorError.self) { try model.contributions(Array(input.values.prefix(model.numFeature)), rows: 1) }
        #expect(error?.message.contains("tree 0 has no internal_count / leaf_count") == true, "\(String(describing: error))")
    }
}
