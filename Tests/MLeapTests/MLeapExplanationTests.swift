import Archives
import ConveyorCore
import ConveyorTestSupport
import Foundation
@testable import MLeap
import Testing

/// Linear explanations of MLeap bundles: each feature gets coefficient ×
/// value, added up per input column through the bundle's own preprocessing.
@Suite struct MLeapExplanationTests {
    /// combust's airbnb linear regression (MLeap 0.8): string indexers and
    /// one-hot encoders, an assembler and a standard scaler, then the
    /// regression. Expected: the coefficients read straight from the
    /// bundle's JSON times the feature vector the MLeap runtime published
    /// for frame.airbnb.json (lemonade_readme_response.json), summed over the
    /// slots the published intermediate columns give each input column.
    @Test func airbnbLinearRegressionAttributesToItsColumns() throws {
        let bundle = shared("mleap-airbnb-lr/airbnb.model.lr.zip")
        let stage = try MLeapStage(name: "airbnb", bundleURL: bundle, schema: nil)
        #expect(stage.explainsModel)
        let input = try LeapFrame.read(Data(contentsOf: shared("mleap-airbnb-lr/frame.airbnb.json")))
        let explanation = try stage.explain(input, lineage: Lineage())

        let tree = try ArchiveReader.read(bundle)
        let node = try JSONSerialization.jsonObject(with: tree.require("root/linear_regression.node/model.json")) as? [String: Any]
        let attributes = try #require(node?["attributes"] as? [String: Any])
        let coefficients = try #require((attributes["coefficients"] as? [String: Any])?["double"] as? [Double])
        let intercept = try #require((attributes["intercept"] as? [String: Any])?["double"] as? Double)
        let response = try JSONSerialization.jsonObject(with: Data(contentsOf: shared(
            "mleap-airbnb-lr/lemonade_readme_response.json"))) as? [String: Any]
        let row = try #require((response?["rows"] as? [[String: Any]])?.first)
        let features = try #require(row["features_lr"] as? [Double])
        #expect(coefficients.count == 27 && features.count == 27)
        // features_lr = room_type_oh (2) ++ host_oh (1) ++ cancellation_oh (6) ++ instant_oh (1) ++ state_oh (9)
        // ++ the scaled continuous features, in the continuous assembler's input order (its node.json).
        let assembler = try JSONSerialization.jsonObject(with: tree.require(
            "root/feature_pipeline.node/continuous_feature_assembler.node/node.json")) as? [String: Any]
        let continuous = try #require(((assembler?["shape"] as? [String: Any])?["inputs"] as? [[String: Any]])?
            .compactMap { $0["name"] as? String })
        #expect(continuous.count == 8)
        let slots = Array(repeating: "room_type", count: 2) + ["host_is_superhost"]
            + Array(repeating: "cancellation_policy", count: 6) + ["instant_bookable"]
            + Array(repeating: "state", count: 9) + continuous
        var expected: [String: Double] = [:]
        for (slot, column) in slots.enumerated() { expected[column, default: 0] += coefficients[slot] * features[slot] }

        #expect(explanation.method == "linear" && explanation.outputs == ["price_prediction"])
        #expect(Set(explanation.columns) == Set(expected.keys))
        let got = [Array(explanation.base(row: 0))[0]]
            + explanation.columns.indices.map { Array(explanation.attribution(row: 0, column: $0))[0] }
        let want = try [intercept] + explanation.columns.map { try #require(expected[$0]) }
        let comparison = NumericComparison(got, want, tolerance: NumericTolerance(absolute: 1e-12, relative: 1e-12),
                                           label: "airbnb attributions")
        #expect(comparison.matches, "\(comparison)")
        // They add up to the runtime's published prediction.
        let total = NumericComparison([got.reduce(0, +)], [232.62463916840318],
                                      tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-12), label: "sum")
        #expect(total.matches, "\(total)")
    }

    /// MLeap's parity logistic and linear regressions (lending club:
    /// indexers, one-hot encoders, an assembler, then the model), on the rows
    /// Spark 4.3 scored: base + attributions = Spark's margin (rawPrediction[1])
    /// or prediction, row by row, and every attribution lands on an input column.
    @Test(arguments: ["LogisticRegressionParitySpec", "LinearRegressionParitySpec"])
    func parityModelsAddUpToSpark(_ spec: String) throws {
        let fixture = try SparkParityModelTests.fixture(spec)
        let stage = try MLeapStage(name: "parity", bundleURL: fixture.url, schema: nil)
        let explanation = try stage.explain(fixture.input, lineage: Lineage())
        #expect(explanation.method == "linear" && explanation.outputs.count == 1)
        #expect(Set(explanation.columns).isSubset(of: Set(fixture.input.columns.map(\.name))), "\(explanation.columns)")
        let sums = (0..<explanation.rowCount).map { row in
            Array(explanation.base(row: row))[0]
                + explanation.columns.indices.map { Array(explanation.attribution(row: row, column: $0))[0] }.reduce(0, +)
        }
        let want: [Double]
        if spec.hasPrefix("Logistic") {
            let raw = try #require(fixture.outputs["rawPrediction"] as? [[Any]])
            want = try raw.map { try #require(SparkParityModelTests.number($0[1])) }
        } else {
            let column = try #require(fixture.ports["prediction"])
            want = try #require(fixture.outputs[column]).map { try #require(SparkParityModelTests.number($0)) }
        }
        let comparison = NumericComparison(sums, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           label: "\(spec): base + attributions vs Spark")
        #expect(comparison.matches, "\(comparison)")
    }

    /// Tree classifiers in MLeap bundles keep their leaves' class counts but
    /// none at splits: a split's count is its leaves'. A Spark-trained 7-class
    /// random forest and the parity decision tree, on the rows Spark 4.3
    /// scored: base + attributions = Spark's probability of every class.
    @Test(arguments: ["RandomForestClassifierMulticlassSparkTrained", "DecisionTreeClassifierParitySpec"])
    func treeClassifiersAddUpToSparksProbabilities(_ spec: String) throws {
        let fixture = try SparkParityModelTests.fixture(spec)
        let stage = try MLeapStage(name: "parity", bundleURL: fixture.url, schema: nil)
        let explanation = try stage.explain(fixture.input, lineage: Lineage())
        #expect(explanation.method == "tree_shap" && explanation.space == "probability")
        let column = fixture.ports["probability"] ?? "probability"
        let probabilities = try #require((fixture.outputs[column] ?? fixture.modelOutputs["probability"]) as? [[Any]])
        let classes = explanation.outputs.count
        #expect(classes == probabilities.first?.count)
        var sums: [Double] = []
        for row in 0..<explanation.rowCount {
            let base = Array(explanation.base(row: row))
            for output in 0..<classes {
                sums.append(base[output] + explanation.columns.indices.map {
                    Array(explanation.attribution(row: row, column: $0))[output]
                }.reduce(0, +))
            }
        }
        let want = try probabilities.flatMap { try $0.map { try #require(SparkParityModelTests.number($0)) } }
        let comparison = NumericComparison(sums, want, tolerance: NumericTolerance(absolute: 1e-9, relative: 1e-9),
                                           columns: classes, label: "\(spec): base + attributions vs Spark")
        #expect(comparison.matches, "\(comparison)")
    }

    /// MLeap's regression trees keep no counts anywhere: refused by name,
    /// not explained wrongly.
    @Test func regressionTreeBundlesAreRefused() throws {
        let stage = try MLeapStage(name: "airbnb", bundleURL: shared("mleap-airbnb-rf/airbnb.model.rf.zip"), schema: nil)
        let input = try LeapFrame.read(Data(contentsOf: shared("mleap-airbnb-lr/frame.airbnb.json")))
        let error = #expect(throws: ConveyorError.self) { try stage.explain(input, lineage: Lineage()) }
        #expect(error?.code == .notExplainable)
        #expect(error?.message.contains("without node statistics") == true, "\(String(describing: error))")
    }
}
