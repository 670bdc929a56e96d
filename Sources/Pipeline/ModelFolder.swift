import ConveyorCore
import Foundation
import MLflow

/// A folder served as a pipeline, read as SageMaker lays models out: the
/// extracted `model.tar.gz` at `/opt/ml/model` (and at
/// `/opt/ml/models/{name}/model` on a multi-model endpoint). In order:
/// - a `pipeline.json` in it is the pipeline;
/// - an MLflow model (`MLmodel`), a Spark ML model (`metadata/`) or an MLeap
///   bundle directory (`bundle.json`) is served as a one-stage pipeline;
/// - else, unless pipeline files lie beside them (a folder of pipelines),
///   exactly one model file — an MLeap bundle `.zip`, an XGBoost model
///   (`.json` that is not a pipeline file, `.ubj`, `.bst`, `.model`, or
///   `xgboost-model` as the SageMaker XGBoost container names it) — is.
/// Every one-stage pipeline is named after the folder; its schema comes
/// from the model (XGBoost, Spark, MLflow) or `SAGEMAKER_SPARKML_SCHEMA` (MLeap).
public enum ModelFolder {
    /// Stage kinds of single model files, by extension.
    public static let artifactKinds: [String: String] = [
        "zip": "mleap", "json": "xgboost", "ubj": "xgboost", "bst": "xgboost", "model": "xgboost",
    ]
    /// The SageMaker XGBoost container's model file, which has no extension.
    public static let sageMakerXGBoostName = "xgboost-model"

    public struct Reading: Sendable {
        public var definition: PipelineDefinition
        /// The pipeline file, model file or model folder read.
        public var source: URL
        /// Whether `source` is a pipeline file (whose stages name their models).
        public var isPipelineFile: Bool
    }

    /// The pipeline a folder holds, or nil when it holds none of the above
    /// (a folder of pipeline files, say). Two or more model files and no
    /// pipeline are an error naming them.
    public static func read(_ folder: URL) throws -> Reading? {
        let folder = folder.standardizedFileURL
        let manager = FileManager.default
        let pipelineFile = folder.appendingPathComponent("pipeline.json")
        if manager.fileExists(atPath: pipelineFile.path) {
            return Reading(definition: try PipelineLoader.definition(contentsOf: pipelineFile), source: pipelineFile,
                           isPipelineFile: true)
        }
        let name = folder.lastPathComponent
        if let kind = wholeFolderKind(folder) {
            let stage = StageDefinition(name: name, kind: kind, model: folder.path)
            return Reading(definition: PipelineDefinition(name: name, stages: [stage]), source: folder,
                           isPipelineFile: false)
        }
        let files = (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        // Pipeline files beside the models: a folder of pipelines, not one model.
        guard !files.contains(where: { $0.pathExtension.lowercased() == "json" && isPipelineFile($0) }) else {
            return nil
        }
        let artifacts = files.filter { kind(of: $0) != nil }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard let artifact = artifacts.first else { return nil }
        guard artifacts.count == 1 else {
            throw ConveyorError(
                .invalidPipeline,
                "\(folder.path) holds no pipeline.json and \(artifacts.count) model files ("
                    + artifacts.prefix(5).map(\.lastPathComponent).joined(separator: ", ")
                    + (artifacts.count > 5 ? ", …" : "") + ") where one is needed")
        }
        return Reading(definition: oneStage(name: name, artifact: artifact), source: artifact, isPipelineFile: false)
    }

    /// The kind of a folder that is one model as a whole: MLflow, Spark ML, MLeap.
    public static func wholeFolderKind(_ folder: URL) -> String? {
        if MLflowModel.isModelDirectory(folder) { return "mlflow" }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("metadata").path, isDirectory: &isFolder),
           isFolder.boolValue {
            return "sparkml"
        }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("bundle.json").path) { return "mleap" }
        return nil
    }

    /// A one-stage pipeline serving a single model file.
    public static func oneStage(name: String, artifact: URL) -> PipelineDefinition {
        let kind = Self.kind(of: artifact) ?? "xgboost"
        return PipelineDefinition(name: name, stages: [StageDefinition(name: name, kind: kind, model: artifact.path)])
    }

    /// The stage kind of a model file; nil for hidden files, pipeline files and others.
    static func kind(of file: URL) -> String? {
        let name = file.lastPathComponent
        guard !name.hasPrefix(".") else { return nil }
        if name == sageMakerXGBoostName { return "xgboost" }
        let ext = file.pathExtension.lowercased()
        guard let kind = artifactKinds[ext] else { return nil }
        return ext == "json" && isPipelineFile(file) ? nil : kind
    }

    /// A JSON file with a `stages` list (an XGBoost model's JSON has none).
    public static func isPipelineFile(_ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe), data.count <= 16 << 20,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["stages"] is [Any]
    }
}
