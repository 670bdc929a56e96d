import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation
import MLflow
import Pipeline
import Testing

/// Each served flavour, loaded as a whole pipeline from its directory,
/// against what mlflow.pyfunc.load_model(path).predict returned for the
/// same 250 held-back rows.
@Suite struct MLflowConformanceTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var tolerance: NumericTolerance
        var inputs: [String]
        var output: String
        var description: String { name }
    }

    static let cases = [
        // XGBClassifier.predict's labels, as long (the signature's int64 tensor).
        Case(name: "xgboost-classifier", tolerance: .exact,
             inputs: ["age: long", "fnlwgt: long", "education-num: long", "capital-gain: long", "capital-loss: long",
                      "hours-per-week: long"], output: "prediction: long"),
        // Float32 predictions, bit for bit; the first rows have NaN (missing) in capital-gain.
        Case(name: "xgboost-regressor", tolerance: .exact,
             inputs: ["age: double", "fnlwgt: double", "education-num: double", "capital-gain: double", "capital-loss: double"],
             output: "prediction: float"),
        // A tensor signature: one vector of 6 in, 4 probabilities out (double sums, as LightGBM adds them).
        Case(name: "lightgbm-multiclass", tolerance: .relative(1e-12), inputs: ["input: vector<double>[6]"],
             output: "prediction: vector<double>[4]"),
        // The PipelineModel's 'prediction' column (the GBT's class index; IndexToString after it is not returned).
        Case(name: "spark-classifier", tolerance: .exact,
             inputs: ["workclass: string", "education: string", "occupation: string", "sex: string", "age: long",
                      "education-num: long", "capital-gain: long", "hours-per-week: long"], output: "prediction: double"),
    ]

    @Test(arguments: cases)
    func predictionsEqualPyfunc(_ fixture: Case) async throws {
        let pipeline = try PipelineLoader().load(contentsOf: MLflowFixtures.model(fixture.name))
        #expect(pipeline.stages.map(\.kind) == ["mlflow"])
        #expect(pipeline.inputs.map(\.description) == fixture.inputs)
        #expect(pipeline.outputs.map(\.description) == [fixture.output])
        let inputs = try MLflowFixtures.csv("\(fixture.name).inputs.csv")
        let expected = try MLflowFixtures.csv("\(fixture.name).expected.csv")
        #expect(inputs.rows.count == 250 && expected.rows.count == 250)
        let body = inputs.rows.map { $0.joined(separator: ",") + "\n" }.joined()
        let output = try await pipeline.predict(Array(body.utf8), contentType: "text/csv", accept: "text/csv")
        var got = String(decoding: output, as: UTF8.self).split(separator: "\n").flatMap { $0.split(separator: ",") }.map(String.init)
        // Float32 columns print their shortest float32 text; pyfunc's values are those float32s as doubles.
        if fixture.output.hasSuffix("float") { got = got.map { Float($0).map { "\(Double($0))" } ?? $0 } }
        let comparison = NumericComparison(parsing: got, expected.rows.flatMap { $0 }, tolerance: fixture.tolerance,
                                           columns: expected.header.count, label: fixture.name)
        #expect(comparison.matches, "\(comparison)")
    }

    /// The same model as a stage of a pipeline file: the signature's columns are the stage's.
    @Test func anMLflowStageInAPipelineFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-mlflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pipeline.json")
        let model = MLflowFixtures.model("xgboost-regressor").path
        try Data(#"{"name": "p", "stages": [{"name": "hours", "kind": "mlflow", "model": "\#(model)"}]}"#.utf8).write(to: file)
        let pipeline = try PipelineLoader().load(contentsOf: file)
        let output = try await pipeline.predict(Array("54,169182,9,,0\n".utf8), contentType: "text/csv", accept: "application/json")
        let expected = try MLflowFixtures.csv("xgboost-regressor.expected.csv").rows[0][0]
        #expect(String(decoding: output, as: UTF8.self) == #"{"predictions":[{"prediction":\#(Float(expected)!)}]}"#)
    }

    @Test func stageKeysThatTheSignatureDecidesAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-mlflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pipeline.json")
        let model = MLflowFixtures.model("lightgbm-multiclass").path
        try Data(#"{"name": "p", "stages": [{"name": "m", "kind": "mlflow", "model": "\#(model)", "outputs": ["raw_score"]}]}"#.utf8)
            .write(to: file)
        let error = #expect(throws: ConveyorError.self) { try PipelineLoader().load(contentsOf: file) }
        #expect(error?.description == "stage 'm': 'outputs' does not apply to mlflow stages: their columns come from the MLmodel "
            + "file's signature")
    }
}
