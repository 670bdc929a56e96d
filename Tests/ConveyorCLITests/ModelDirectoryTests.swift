import ConveyorCore
import ConveyorTestSupport
import Foundation
import Pipeline
import Testing
@testable import ConveyorCLI

/// SageMaker's model folder conventions: with no --pipeline, a non-empty
/// `/opt/ml/model` (here `CONVEYOR_MODEL_DIR`) is what is served, read as
/// the extracted `model.tar.gz` of each SageMaker container lays it out.
@Suite struct ModelDirectoryTests {
    static let objectives = projectRoot.appendingPathComponent("Tests/Fixtures/xgboost-objectives/3.4.1")

    /// The producer's predictions of `reg_gamma` for the 200 fixture rows (float32 widened).
    static func expectedGamma() throws -> [Double] {
        try String(contentsOf: objectives.appendingPathComponent("reg_gamma.pred.csv"), encoding: .utf8)
            .split(separator: "\n").map { try #require(Double($0)) }
    }

    static func inputs() throws -> String {
        try String(contentsOf: objectives.appendingPathComponent("inputs_adult.csv"), encoding: .utf8)
    }

    /// Conveyor prints float32 results as their shortest text: read back as float32.
    static func expectProducerValues(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = output.split(separator: "\n").map { Float($0).map(Double.init) ?? .nan }
        let comparison = NumericComparison(actual, try expectedGamma(), tolerance: .exact, label: "reg_gamma")
        #expect(comparison.matches, "\(comparison)", sourceLocation: sourceLocation)
    }

    @Test func theSageMakerXGBoostLayoutIsServedWithoutAPipeline() async throws {
        // The SageMaker XGBoost container's model.tar.gz holds one file, `xgboost-model`.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.objectives.appendingPathComponent("reg_gamma.json"),
                                         to: folder.appendingPathComponent("xgboost-model"))
        let run = try await conveyor(["predict", "--content-type", "text/csv"], input: try Self.inputs(),
                                     environment: ["CONVEYOR_MODEL_DIR": folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectProducerValues(run.stdout)
        let inspect = try await conveyor(["inspect", folder.path])
        #expect(inspect.stdout.contains("objective: reg:gamma") && inspect.stdout.contains("xgboost-model"),
                "\(inspect.stdout)\(inspect.stderr)")
    }

    @Test func aPipelineJSONInTheModelFolderIsServedWithItsRelativePaths() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = folder.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.objectives.appendingPathComponent("reg_gamma.ubj"),
                                         to: models.appendingPathComponent("gamma.ubj"))
        // A second model file beside pipeline.json: the pipeline decides what is served.
        try FileManager.default.copyItem(at: Self.objectives.appendingPathComponent("binary_hinge.json"),
                                         to: folder.appendingPathComponent("other.json"))
        try Data(#"{"name": "gamma", "stages": [{"name": "model", "kind": "xgboost", "model": "models/gamma.ubj"}]}"#.utf8)
            .write(to: folder.appendingPathComponent("pipeline.json"))
        let run = try await conveyor(["predict", "--content-type", "text/csv"], input: try Self.inputs(),
                                     environment: ["CONVEYOR_MODEL_DIR": folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectProducerValues(run.stdout)
    }

    @Test func anEmptyModelFolderFallsBackToTheBundledPipeline() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let located = try DefaultPipeline.locate(environment: ["CONVEYOR_MODEL_DIR": folder.path])
        #expect(located.path.hasSuffix(DefaultPipeline.relativePath))
        let missing = try DefaultPipeline.locate(environment: ["CONVEYOR_MODEL_DIR": folder.path + "/none"])
        #expect(missing.path.hasSuffix(DefaultPipeline.relativePath))
        try Data("x".utf8).write(to: folder.appendingPathComponent("xgboost-model"))
        #expect(try DefaultPipeline.locate(environment: ["CONVEYOR_MODEL_DIR": folder.path]).path == folder.path)
        // CONVEYOR_PIPELINE still comes first.
        #expect(try DefaultPipeline.locate(environment: ["CONVEYOR_MODEL_DIR": folder.path,
                                                         "CONVEYOR_PIPELINE": "/p.json"]).path == "/p.json")
    }

    /// Which stage each layout becomes, and what is refused.
    @Test func folderLayouts() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func layout(_ name: String, _ files: [String: String]) throws -> URL {
            let url = folder.appendingPathComponent(name)
            for (path, text) in files {
                let file = url.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
            return url
        }
        func kinds(_ url: URL) throws -> [String]? { try ModelFolder.read(url)?.definition.stages.map(\.kind) }
        // The SageMaker SparkML serving container: an MLeap bundle directory.
        #expect(try kinds(layout("bundle", ["bundle.json": "{}", "root/model.json": "{}"])) == ["mleap"])
        #expect(try kinds(layout("mlflow", ["MLmodel": "flavors: {}\n"])) == ["mlflow"])
        #expect(try kinds(layout("spark", ["metadata/part-00000": "{}"])) == ["sparkml"])
        #expect(try kinds(layout("zip", ["features.zip": "PK", ".hidden.json": "{}"])) == ["mleap"])
        #expect(try kinds(layout("ubj", ["model.ubj": "{"])) == ["xgboost"])
        let named = try #require(try ModelFolder.read(layout("named", ["xgboost-model": "x"])))
        #expect(named.definition.name == "named" && named.source.lastPathComponent == "xgboost-model")
        // Pipeline files beside a model: a folder of pipelines, not a model.
        #expect(try kinds(layout("pipelines", ["a.json": #"{"name": "a", "stages": []}"#, "model.ubj": "{"])) == nil)
        #expect(try kinds(layout("empty", ["notes.txt": "hello"])) == nil)
        do {
            _ = try ModelFolder.read(layout("two", ["a.ubj": "{", "b.bst": "x"]))
            Issue.record("two model files must be refused")
        } catch let error as ConveyorError {
            #expect(error.message.contains("2 model files (a.ubj, b.bst)"), "\(error)")
        }
    }
}
