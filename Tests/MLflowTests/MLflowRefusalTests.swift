import ConveyorCore
import Foundation
@testable import MLflow
import Pipeline
import Testing

/// Flavours that need Python, broken directories and signatures that
/// disagree with their model: refused at load with a message, never a crash.
@Suite struct MLflowRefusalTests {
    static func loadError(_ url: URL) -> ConveyorError? {
        #expect(throws: ConveyorError.self) { try PipelineLoader().load(contentsOf: url) }
    }

    @Test func anSklearnPickleIsRefusedSayingWhy() throws {
        let error = Self.loadError(MLflowFixtures.model("sklearn-refused"))
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.hasPrefix("flavour 'sklearn' stores a pickle (model.pkl), which cannot be loaded without Python; "
            + "save an XGBoost or LightGBM model with mlflow.xgboost.save_model") == true)
    }

    @Test func customPythonCodeIsRefused() throws {
        let error = Self.loadError(MLflowFixtures.model("pyfunc-refused"))
        #expect(error?.message == "flavour 'python_function' runs Python code (loader_module mlflow.pyfunc.model, python_model.pkl), "
            + "which Conveyor does not run; save the model with mlflow.spark, mlflow.xgboost or mlflow.lightgbm instead")
    }

    @Test func aPickledLGBMClassifierIsRefusedNamingTheBoosterWay() throws {
        let error = Self.loadError(MLflowFixtures.model("lightgbm-sklearn-refused"))
        #expect(error?.message == "flavour 'lightgbm' stores the scikit-learn model lightgbm.sklearn.LGBMClassifier as a pickle "
            + "(model.pkl), which cannot be loaded without Python; save its Booster instead: "
            + "mlflow.lightgbm.save_model(model.booster_, path)")
    }

    @Test func otherFlavoursAreRefusedByName() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try MLflowFixtures.edit(model) { $0.replacingOccurrences(of: "\n  xgboost:\n", with: "\n  pytorch:\n") }
        let error = Self.loadError(model)
        #expect(error?.message == "flavour 'pytorch' is not supported; Conveyor serves the spark, xgboost and lightgbm flavours, "
            + "without Python")
    }

    @Test func aMissingModelFileIsNamed() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try FileManager.default.removeItem(at: model.appendingPathComponent("model.ubj"))
        let error = Self.loadError(model)
        #expect(error?.code == .modelNotFound)
        #expect(error?.message == "the xgboost flavour's file 'model.ubj' is missing from \(model.path)")
    }

    @Test func aMissingSparkFolderIsNamed() throws {
        let model = try MLflowFixtures.copy("spark-classifier")
        try FileManager.default.removeItem(at: model.appendingPathComponent("sparkml"))
        let error = Self.loadError(model)
        #expect(error?.message == "the spark flavour's folder 'sparkml' is missing from \(model.path)")
    }

    @Test func aPathOutsideTheDirectoryIsRefused() throws {
        let model = try MLflowFixtures.copy("lightgbm-multiclass")
        try MLflowFixtures.edit(model) { $0.replacingOccurrences(of: "    data: model.lgb\n    lgb_version", with: "    data: ../../etc/passwd\n    lgb_version") }
        let error = Self.loadError(model)
        #expect(error?.message == "the lightgbm flavour names '../../etc/passwd', which is not a path inside \(model.path)")
    }

    @Test func malformedYAMLIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try Data("flavors: [unclosed\n  xgboost: {\n".utf8).write(to: model.appendingPathComponent("MLmodel"))
        let error = Self.loadError(model)
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.hasPrefix("\(model.path)/MLmodel is not valid YAML: ") == true)
    }

    @Test func anMLmodelThatIsNotAMappingIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try Data("- just\n- a list\n".utf8).write(to: model.appendingPathComponent("MLmodel"))
        #expect(Self.loadError(model)?.message == "\(model.path)/MLmodel is not a YAML mapping of MLmodel fields")
    }

    @Test func aHugeMLmodelIsRefusedBeforeReading() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        let file = model.appendingPathComponent("MLmodel")
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 64 << 20)  // sparse: 64 MiB that are never read
        try handle.close()
        let error = Self.loadError(model)
        #expect(error?.message == "MLmodel file \(file.path) has \(64 << 20) bytes; the limit is \(1 << 20)")
    }

    /// Nested aliases (a "billion laughs") are composed, not expanded: refused quickly.
    @Test func nestedAliasesStayCheap() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...40 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "flavors: *a40\n"
        try Data(yaml.utf8).write(to: model.appendingPathComponent("MLmodel"))
        let start = ContinuousClock.now
        let error = Self.loadError(model)
        #expect(error?.message == "\(model.path)/MLmodel has no 'flavors' mapping")
        // Expanded, 10^40 nodes would never finish: a minute is loose for a loaded machine.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func aModelWithoutSignatureIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-regressor")
        try MLflowFixtures.edit(model) { text in
            let start = text.range(of: "signature:\n")!, end = text.range(of: "type_hint_from_example")!
            return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
        }
        #expect(Self.loadError(model)?.message.hasPrefix("\(model.path)/MLmodel has no signature with inputs and outputs") == true)
    }

    @Test func aSignatureWithFewerColumnsThanTheModelReadsIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try MLflowFixtures.edit(model) {
            $0.replacingOccurrences(of: #"{"type": "long", "name":\#n    "fnlwgt", "required": true}, "#, with: "")
        }
        let error = Self.loadError(model)
        #expect(error?.code == .invalidPipeline)
        #expect(error?.message.hasPrefix("the signature gives 5 input values per row (age: long, education-num: long") == true)
        #expect(error?.message.hasSuffix("but the xgboost model reads 6 features") == true)
    }

    @Test func anOutputWidthThatDisagreesIsRefused() throws {
        let model = try MLflowFixtures.copy("lightgbm-multiclass")
        try MLflowFixtures.edit(model) { $0.replacingOccurrences(of: "[-1,\n    4]", with: "[-1,\n    3]") }
        #expect(Self.loadError(model)?.message == "the signature's output is tensor float64 [-1, 3] (3 per row) but the lightgbm "
            + "model predicts vector<double>[4]")
    }

    @Test func aSparkColumnMissingFromTheSignatureIsRefused() throws {
        let model = try MLflowFixtures.copy("spark-classifier")
        try MLflowFixtures.edit(model) { $0.replacingOccurrences(of: #""name": "sex""#, with: #""name": "gender""#) }
        let error = Self.loadError(model)
        #expect(error?.message.hasPrefix("the Spark model reads 'sex', which the signature's inputs do not list") == true)
        #expect(error?.column == "sex")
    }
}

/// More disagreements and hostile example files.
@Suite struct MLflowSignatureMismatchTests {
    @Test func aStringColumnForATreeModelIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try MLflowFixtures.edit(model) { $0.replacingOccurrences(of: #"[{"type": "long", "name": "age""#, with: #"[{"type": "string", "name": "age""#) }
        let error = MLflowRefusalTests.loadError(model)
        #expect(error?.message == "the signature's input 'age' is string; the xgboost model reads numbers (encode it before the "
            + "model, or put a preprocessing stage before this one)")
        #expect(error?.column == "age")
    }

    @Test func aHugeInputExampleIsRefusedBeforeReading() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        let file = model.appendingPathComponent("input_example.json")
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 2 << 20)
        try handle.close()
        let loaded = try MLflowModel(directory: model)
        let error = #expect(throws: ConveyorError.self) { try loaded.inputExample() }
        #expect(error?.message == "input example \(file.path) has \(2 << 20) bytes; the limit is \(1 << 20)")
    }

    @Test func anExampleWithRaggedRowsIsRefused() throws {
        let model = try MLflowFixtures.copy("xgboost-classifier")
        try Data(#"{"columns": ["age", "fnlwgt"], "data": [[1, 2], [3]]}"#.utf8).write(to: model.appendingPathComponent("input_example.json"))
        let error = #expect(throws: ConveyorError.self) { try MLflowModel(directory: model).inputExample() }
        #expect(error?.message == "input example row 2 has 1 values for 2 columns")
    }
}
