import ConveyorTestSupport
@testable import ConveyorCLI
import Foundation
import Testing

/// MLflow model directories given where a pipeline file goes: `inspect`
/// shows the signature, `validate` runs the saved input example, `predict`
/// and `serve` take the folder, and refusals exit 3 with their reason.
@Suite struct MLflowCommandTests {
    static let fixtures = "Tests/Fixtures/mlflow"

    static func expectedLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: projectRoot.appendingPathComponent("\(fixtures)/\(name).example-expected.csv"), encoding: .utf8)
        return Array(text.split(separator: "\n").dropFirst().map(String.init))
    }

    @Test func inspectShowsTheSignatureAsTheSchema() async throws {
        let result = try await conveyor(["inspect", "\(Self.fixtures)/xgboost-classifier"])
        #expect(result.status == 0, "\(result.stderr)")
        for fact in ["input columns (CSV order):\n  1. age: long\n  2. fnlwgt: long\n  3. education-num: long",
                     "xgboost-classifier [mlflow]", "flavour: xgboost (model.ubj, ubj, xgboost.sklearn.XGBClassifier)",
                     "saved by: mlflow 3.17.2", "signature inputs: 6", "age: long -> long",
                     "signature outputs: 1", "prediction: tensor int64 [-1] -> long", "input example: input_example.json",
                     "pyfunc returns: predicted_label", "objective: binary:logistic", "output columns:\n  - prediction: long"] {
            #expect(result.stdout.contains(fact), "missing \(fact)")
        }
    }

    /// pyfunc's predictions for the saved example rows, printed by validate (XGBClassifier labels; Spark's class index).
    @Test(arguments: ["xgboost-classifier", "spark-classifier"])
    func validateRunsTheInputExample(_ name: String) async throws {
        let result = try await conveyor(["validate", "\(Self.fixtures)/\(name)"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ok: pipeline '\(name)', 1 stage")
        #expect(lines.contains("  input example: input_example.json (split, 3 rows) -> prediction:"))
        let expected = try Self.expectedLines(name).map(Double.init)
        let printed = lines.filter { $0.hasPrefix("    ") }.map { Double($0.trimmingCharacters(in: .whitespaces)) }
        #expect(printed == expected)
    }

    @Test func validatePrintsTheLightGBMExamplesProbabilities() async throws {
        let result = try await conveyor(["validate", "\(Self.fixtures)/lightgbm-multiclass"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  input example: input_example.json (rows, 2 rows) -> prediction:\n"))
        let printed = result.stdout.split(separator: "\n").filter { $0.hasPrefix("    ") }.flatMap { $0.split(separator: ",") }
        let expected = try Self.expectedLines("lightgbm-multiclass").flatMap { $0.split(separator: ",") }
        let comparison = NumericComparison(parsing: printed, expected, tolerance: .relative(1e-12), columns: 4, label: "example")
        #expect(comparison.matches, "\(comparison)")
    }

    @Test func anExampleThatDoesNotRunFailsValidation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-mlflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = folder.appendingPathComponent("m")
        try FileManager.default.copyItem(at: projectRoot.appendingPathComponent("\(Self.fixtures)/xgboost-classifier"), to: model)
        try Data(#"{"columns": ["age"], "data": [["old"]]}"#.utf8).write(to: model.appendingPathComponent("input_example.json"))
        let result = try await conveyor(["validate", model.path])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("error: stage 'm': the input example input_example.json does not run: "))
        #expect(result.stderr.contains("'old' is not a number"))
    }

    @Test func predictTakesTheFolderAsThePipeline() async throws {
        let inputs = try String(contentsOf: projectRoot.appendingPathComponent("\(Self.fixtures)/spark-classifier.inputs.csv"), encoding: .utf8)
        let rows = inputs.split(separator: "\n").dropFirst().prefix(20).map { $0 + "\n" }.joined()
        let result = try await conveyor(["predict", "--pipeline", "\(Self.fixtures)/spark-classifier"], input: rows)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: projectRoot.appendingPathComponent("\(Self.fixtures)/spark-classifier.expected.csv"),
                                  encoding: .utf8).split(separator: "\n").dropFirst().prefix(20).map { Double($0) }
        #expect(result.stdout.split(separator: "\n").map { Double($0) } == expected)
    }

    @Test func refusedFlavoursExitThreeWithTheReason() async throws {
        let result = try await conveyor(["validate", "\(Self.fixtures)/sklearn-refused"])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("error: stage 'sklearn-refused': flavour 'sklearn' stores a pickle (model.pkl), which cannot "
            + "be loaded without Python"))
        let predict = try await conveyor(["predict", "--pipeline", "\(Self.fixtures)/pyfunc-refused"], input: "1\n")
        #expect(predict.status == 3)
        #expect(predict.stderr.contains("flavour 'python_function' runs Python code"))
    }

    @Test func serveTakesAnMLflowFolderAsOnePipeline() throws {
        let folder = projectRoot.appendingPathComponent("\(Self.fixtures)/xgboost-regressor").path
        #expect(try ServeCommand.pipelineFiles(folder) == [URL(fileURLWithPath: folder)])
    }
}

/// docs/mlflow.md's example runs and prints exactly what the page shows.
@Suite struct MLflowDocumentTests {
    private func block(_ fence: String, in text: String) throws -> String {
        let start = try #require(text.range(of: "```\(fence)\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func theValidateExampleIsWhatTheCommandPrints() async throws {
        let page = try String(contentsOf: projectRoot.appendingPathComponent("docs/mlflow.md"), encoding: .utf8)
        let command = try block("sh", in: page).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(command.hasPrefix("conveyor "))
        let result = try await conveyor(command.split(separator: " ").dropFirst().map(String.init))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try block("text", in: page)))
    }
}
