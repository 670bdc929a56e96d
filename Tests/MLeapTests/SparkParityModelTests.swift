import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing

@testable import MLeap

/// The model bundles among MLeap's 52 Spark parity bundles agree with real
/// Spark: training/spark_parity_models.py rebuilt each bundle's pipeline in
/// Spark 4.3 from the bundle's own parameters and stored Spark's outputs
/// (Tests/Fixtures/spark-parity/expected-models/). Trees, forests and most
/// models exact; where Spark's BLAS order or `exp` differs, probabilities
/// 1e-6, regressions and raw predictions 1e-9 relative (labels exact).
@Suite struct SparkParityModelTests {
    static let directory = projectRoot.appendingPathComponent("Tests/Fixtures/spark-parity/expected-models")
    static let bundles = shared("mleap-docs-spark-parity-52/bundles")

    static let specs = [
        "DecisionTreeClassifierParitySpec", "DecisionTreeRegressionParitySpec", "GBTClassifierParitySpec",
        "GBTRegressionParitySpec", "LinearRegressionParitySpec", "LogisticRegressionParitySpec",
        "MultiLayerPerceptronClassifierParitySpec", "NaiveBayesClassifierParitySpec", "OneVsRestParitySpec",
        "RandomForestClassifierParitySpec", "RandomForestRegressionParitySpec", "SupportVectorMachineParitySpec",
        "GeneralizedLinearRegressionParitySpec", "AFTSurvivalRegressionParitySpec", "IsotonicRegressionParitySpec",
        // The parity NaiveBayes, GBT and tree classifiers predict one class for every row: Spark-trained
        // models (7-class NaiveBayes and random forest, binary GBT) written into copies of their bundles.
        "NaiveBayesMultinomialSparkTrained", "GBTClassifierBinarySparkTrained",
        "RandomForestClassifierMulticlassSparkTrained",
    ]

    static let regressionOps: Set = [
        "linear_regression", "decision_tree_regression", "random_forest_regression", "gbt_regression",
        "generalized_linear_regression", "aft_survival_regression", "isotonic_regression",
    ]

    /// A fixture number: JSON numbers, or "Infinity"/"-Infinity"/"NaN" (JSON has no such numbers).
    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        switch value as? String {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default: return nil
        }
    }

    struct Fixture {
        let bundle: String
        /// The bundle: a real parity bundle, or one the script wrote (`bundle_path`).
        let url: URL
        let op: String
        let ports: [String: String]
        let input: Frame
        let outputs: [String: [Any]]
        /// Spark's raw/probability for ports the bundle does not name.
        let modelOutputs: [String: [Any]]
    }

    static func fixture(_ spec: String) throws -> Fixture {
        let data = try Data(contentsOf: directory.appendingPathComponent(spec + ".json"))
        let json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        let bundle = try #require(json["bundle"] as? String)
        return Fixture(
            bundle: bundle,
            url: (json["bundle_path"] as? String).map { projectRoot.appendingPathComponent($0) }
                ?? bundles.appendingPathComponent(bundle),
            op: try #require(json["model_op"] as? String),
            ports: try #require(json["ports"] as? [String: String]),
            input: try frame(try #require(json["inputs"] as? [String: Any])),
            outputs: try #require(json["outputs"] as? [String: [Any]]),
            modelOutputs: try #require(json["model_outputs"] as? [String: [Any]]))
    }

    /// The LeapFrame-shaped inputs (string and double fields; no nulls: the
    /// script skips rows with nulls), built without re-serializing the JSON.
    static func frame(_ inputs: [String: Any]) throws -> Frame {
        let fields = try #require((inputs["schema"] as? [String: Any])?["fields"] as? [[String: String]])
        let rows = try #require(inputs["rows"] as? [[Any]])
        return try Frame(columns: fields.enumerated().map { index, field in
            let name = field["name"] ?? ""
            if field["type"] == "string" {
                let texts = rows.map { $0[index] as? String }
                return Column.strings(name, texts.map { $0 ?? "" }, nulls: texts.map { $0 == nil })
            }
            let numbers = rows.map { ($0[index] as? NSNumber)?.doubleValue }
            return Column.doubles(name, numbers.map { $0 ?? .nan }, nulls: numbers.map { $0 == nil })
        })
    }

    /// A fixture value for the shared comparison: text that is not a number stays text.
    static func expectedValue(_ value: Any) -> ComparedValue {
        number(value).map(ComparedValue.number) ?? .unparsable(String(describing: value))
    }

    /// The specs whose every number equals Spark's bit for bit. The others
    /// sum dot products or GBT trees in the order Spark's BLAS picks, or
    /// call `exp`/`log`, and differ in the last bits.
    static let exactSpecs: Set = [
        "DecisionTreeClassifierParitySpec", "DecisionTreeRegressionParitySpec", "RandomForestClassifierParitySpec",
        "RandomForestRegressionParitySpec", "RandomForestClassifierMulticlassSparkTrained",
        "GBTClassifierBinarySparkTrained", "LinearRegressionParitySpec", "MultiLayerPerceptronClassifierParitySpec",
        "NaiveBayesClassifierParitySpec", "OneVsRestParitySpec", "IsotonicRegressionParitySpec",
    ]

    /// Exact for `exactSpecs`; otherwise probabilities to 1e-6, raw
    /// predictions and regressions 1e-9 relative (an expected ±Infinity, as
    /// AFT quantiles have, must be met exactly).
    static func tolerance(port: String, op: String, spec: String) -> NumericTolerance {
        if exactSpecs.contains(spec) { return .exact }
        return port == "probability" && op != "support_vector_machine" ? .absolute(1e-6) : .relative(1e-9)
    }

    /// The fixture files are exactly the specs this suite runs.
    @Test func everyFixtureIsTested() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(Self.specs))
    }

    @Test(arguments: specs)
    func bundleAgreesWithSpark(_ spec: String) throws {
        let fixture = try Self.fixture(spec)
        let stage = try MLeapStage(
            name: spec, bundleURL: fixture.url, schema: nil)
        #expect(stage.ops.last == fixture.op)
        let out = try stage.transformAll(fixture.input)
        #expect(fixture.input.rowCount == 200)
        #expect(Set(fixture.outputs.keys) == Set(fixture.ports.values))
        for (port, column) in fixture.ports.sorted(by: { $0.key < $1.key }) {
            let want = try #require(fixture.outputs[column])
            let got = try #require(out.column(column), "\(fixture.bundle): no column '\(column)'")
            try #require(got.count == want.count, "\(fixture.bundle) column '\(column)': \(got.count) rows")
            if let first = want.first, first is [Any] {
                let block = try got.vectorBlock()
                var actual: [Double] = []
                var expected: [ComparedValue] = []
                for row in 0..<want.count {
                    let values = try #require(want[row] as? [Any])
                    #expect(block.row(row).count == values.count,
                            "\(fixture.bundle) column '\(column)' row \(row): width \(block.row(row).count), Spark \(values.count)")
                    actual += block.row(row)
                    expected += values.map(Self.expectedValue)
                }
                let result = NumericComparison(actual.map(ComparedValue.number), expected,
                                               tolerance: Self.tolerance(port: port, op: fixture.op, spec: spec),
                                               columns: block.width, label: "\(fixture.bundle) column '\(column)'")
                #expect(result.matches, "\(result)")
            } else {
                let values = try got.scalarDoubles()
                // Labels exact.
                let tolerance: NumericTolerance = Self.regressionOps.contains(fixture.op) && !Self.exactSpecs.contains(spec)
                    ? .relative(1e-9) : .exact
                let result = NumericComparison(values.map(ComparedValue.number), want.map(Self.expectedValue),
                                               tolerance: tolerance, label: "\(fixture.bundle) column '\(column)'")
                #expect(result.matches, "\(result)")
            }
        }
    }

    /// Where the bundle names only `prediction` (MLP, one-vs-rest), Spark's
    /// raw prediction and probability are compared with the model itself:
    /// the MLP's last layer and softmax, each one-vs-rest model's margin.
    @Test(arguments: ["MultiLayerPerceptronClassifierParitySpec", "OneVsRestParitySpec"])
    func unnamedRawAndProbabilityAgreeWithSpark(_ spec: String) throws {
        let fixture = try Self.fixture(spec)
        let stage = try MLeapStage(
            name: spec, bundleURL: fixture.url, schema: nil)
        let out = try stage.transformAll(fixture.input)
        let last = try #require(stage.transformers.last)
        let features = try #require(out.column(last.inputNames[0])).vectorBlock()
        #expect(!fixture.modelOutputs.isEmpty)
        for (port, rows) in fixture.modelOutputs.sorted(by: { $0.key < $1.key }) {
            #expect(rows.count == features.rowCount)
            for row in 0..<rows.count {
                let expected = try #require(rows[row] as? [Any]).map { try #require(Self.number($0)) }
                var actual: [Double]
                if let node = last as? ClassifierNode {
                    actual = [Double](repeating: 0, count: node.model.numClasses)
                    node.model.raw(features.row(row), into: &actual)
                    if port == "probability" { node.model.probability(&actual) }
                } else {
                    let ovr = try #require(last as? OneVsRest)
                    actual = ovr.classifiers.map { model in
                        var raw = [0.0, 0.0]
                        model.raw(features.row(row), into: &raw)
                        return raw[1]
                    }
                }
                let result = NumericComparison(actual, expected,
                                               tolerance: port == "probability" ? .absolute(1e-6) : .relative(1e-9),
                                               label: "\(fixture.bundle) \(port) (not a bundle column) row \(row)")
                #expect(result.matches, "\(result)")
            }
        }
    }
}
