import ConveyorCore
import Foundation
import Yams

/// The flavour Conveyor serves from an MLmodel file, with its model's
/// location inside the directory.
public enum MLflowFlavour: Sendable, Equatable {
    /// `model_class` is the Python class MLflow saved (`xgboost.core.Booster`,
    /// `xgboost.sklearn.XGBClassifier`, …): it decides what pyfunc's predict returns.
    case xgboost(model: URL, modelClass: String, format: String)
    case lightgbm(model: URL)
    /// The PipelineModel directory (`sparkml/`).
    case spark(model: URL, modelClass: String)

    public var name: String {
        switch self {
        case .xgboost: return "xgboost"
        case .lightgbm: return "lightgbm"
        case .spark: return "spark"
        }
    }

    public var modelURL: URL {
        switch self {
        case .xgboost(let url, _, _), .lightgbm(let url), .spark(let url, _): return url
        }
    }

    /// XGBClassifier's predict returns class labels; a Booster's and a regressor's, the prediction itself.
    public var predictsLabels: Bool {
        if case .xgboost(_, let modelClass, _) = self { return modelClass.hasSuffix("Classifier") }
        return false
    }

    static let xgboostClasses: Set<String> = [
        "xgboost.core.Booster", "xgboost.sklearn.XGBClassifier", "xgboost.sklearn.XGBRegressor",
        "xgboost.sklearn.XGBRFClassifier", "xgboost.sklearn.XGBRFRegressor",
    ]

    /// Picks the served flavour of an MLmodel's `flavors`, or refuses the
    /// directory saying why its flavours cannot be served without Python.
    static func choose(_ flavors: Node, directory: URL) throws -> MLflowFlavour {
        let names = flavors.keys
        if let spark = flavors.value("spark") {
            let modelClass = spark.value("model_class")?.text ?? "pyspark.ml.pipeline.PipelineModel"
            let path = spark.value("model_data")?.text ?? "sparkml"
            return .spark(model: try member(path, of: directory, flavour: "spark", folder: true), modelClass: modelClass)
        }
        if let xgboost = flavors.value("xgboost") {
            let modelClass = xgboost.value("model_class")?.text ?? "xgboost.core.Booster"
            guard xgboostClasses.contains(modelClass) else {
                throw ConveyorError(.unsupportedModel, "the xgboost flavour's model_class '\(modelClass.boundedForMessage(80))' is not served: "
                    + "Conveyor reproduces predict() of " + xgboostClasses.sorted().joined(separator: ", "))
            }
            guard let path = xgboost.value("data")?.text else {
                throw ConveyorError(.modelCorrupt, "the xgboost flavour in \(directory.path)/MLmodel has no 'data' file")
            }
            let format = xgboost.value("model_format")?.text ?? "xgb"
            return .xgboost(model: try member(path, of: directory, flavour: "xgboost", folder: false),
                            modelClass: modelClass, format: format)
        }
        if let lightgbm = flavors.value("lightgbm") {
            let modelClass = lightgbm.value("model_class")?.text ?? "lightgbm.basic.Booster"
            let path = lightgbm.value("data")?.text ?? "model.lgb"
            guard modelClass == "lightgbm.basic.Booster" else {
                throw ConveyorError(.unsupportedModel, "flavour 'lightgbm' stores the scikit-learn model \(modelClass.boundedForMessage(80)) "
                    + "as a pickle (\(path.boundedForMessage(80))), which cannot be loaded without Python; save its Booster instead: "
                    + "mlflow.lightgbm.save_model(model.booster_, path)")
            }
            return .lightgbm(model: try member(path, of: directory, flavour: "lightgbm", folder: false))
        }
        throw refusal(names, flavors: flavors)
    }

    /// Why none of the flavours can be served.
    static func refusal(_ names: [String], flavors: Node) -> ConveyorError {
        let served = "Conveyor serves the spark, xgboost and lightgbm flavours, without Python"
        if names.contains("sklearn") {
            let file = flavors.value("sklearn")?.value("pickled_model")?.text ?? "model.pkl"
            return ConveyorError(.unsupportedModel, "flavour 'sklearn' stores a pickle (\(file.boundedForMessage(80))), which cannot be "
                + "loaded without Python; save an XGBoost or LightGBM model with mlflow.xgboost.save_model or "
                + "mlflow.lightgbm.save_model instead, or export the scikit-learn pipeline as an MLeap bundle (kind 'mleap')")
        }
        let others = names.filter { $0 != "python_function" }
        if let other = others.first {
            return ConveyorError(.unsupportedModel, "flavour '\(other.boundedForMessage(64))' is not supported; \(served)")
        }
        if let pyfunc = flavors.value("python_function") {
            let loader = pyfunc.value("loader_module")?.text ?? "?"
            var what = "loader_module \(loader.boundedForMessage(80))"
            if let code = pyfunc.value("python_model")?.text { what += ", \(code.boundedForMessage(80))" }
            return ConveyorError(.unsupportedModel, "flavour 'python_function' runs Python code (\(what)), which Conveyor does not run; "
                + "save the model with mlflow.spark, mlflow.xgboost or mlflow.lightgbm instead")
        }
        return ConveyorError(.modelCorrupt, "the MLmodel file lists no flavours; \(served)")
    }

    /// A file or folder named by the MLmodel file, which must stay inside the directory.
    static func member(_ path: String, of directory: URL, flavour: String, folder: Bool) throws -> URL {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !path.contains("\0") else {
            throw ConveyorError(.modelCorrupt, "the \(flavour) flavour names '\(path.boundedForMessage(80))', which is not a path inside \(directory.path)")
        }
        let url = directory.appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ConveyorError(.modelNotFound, "the \(flavour) flavour's \(folder ? "folder" : "file") '\(path.boundedForMessage(80))' "
                + "is missing from \(directory.path)")
        }
        guard isFolder.boolValue == folder else {
            throw ConveyorError(.modelCorrupt, "the \(flavour) flavour's '\(path.boundedForMessage(80))' in \(directory.path) is "
                + (folder ? "a file, not a folder" : "a folder, not a file"))
        }
        return url
    }
}
