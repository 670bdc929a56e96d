import ConveyorCore
import Foundation
import Pipeline
import Server
import Storage

/// What a multi-model URL holds, read as SageMaker's multi-model containers
/// read `/opt/ml/models/{name}/model`: a folder with a `pipeline.json`; or
/// a model folder (Spark ML, MLflow); or a folder holding one artifact (an
/// MLeap bundle `.zip`, an XGBoost model `.json`/`.ubj`/`.bst`/`.model`),
/// served as a one-stage pipeline named after the folder; or a pipeline
/// file itself. `s3://` URLs are copied to a temporary folder first.
struct ModelFolders: Sendable {
    /// A local absolute path (no trailing slash) or `s3://bucket/prefix`.
    let root: String
    let environment: [String: String]
    let sageMaker: SageMakerEnvironment

    static let artifactExtensions: [String: String] = [
        "zip": "mleap", "json": "xgboost", "ubj": "xgboost", "bst": "xgboost", "model": "xgboost",
    ]
    /// Files walked when sizing a model, and objects copied from S3.
    static let maxFiles = 100_000

    static func normalizedRoot(_ root: String) throws -> String {
        if root.hasPrefix("s3://") { return root.hasSuffix("/") ? String(root.dropLast()) : root }
        let url = URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ConveyorError(.invalidPipeline, "--model-root \(root) is not a folder")
        }
        return url.path
    }

    func prepare(_ url: String, budget: Int) async throws -> PreparedModel {
        if url.hasPrefix("s3://") { return try await prepareS3(url, budget: budget) }
        let local = URL(fileURLWithPath: url.hasPrefix("file://") ? String(url.dropFirst(7)) : url)
            .resolvingSymlinksInPath().standardizedFileURL
        guard !root.hasPrefix("s3://"), local.path == root || local.path.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw ConveyorError(.modelLoadingForbidden, "the model URL \(url.boundedForMessage(200)) is not under the model root \(root)")
        }
        return try prepareLocal(local)
    }

    func prepareLocal(_ url: URL, temporary: URL? = nil) throws -> PreparedModel {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ConveyorError(.notFound, "no model at \(url.path)")
        }
        var file = url
        // Whether `file` is a pipeline file (sized on top of the models it names).
        var pipelineFile = true
        var definition: PipelineDefinition
        do {
            if isFolder.boolValue, FileManager.default.fileExists(atPath: url.appendingPathComponent("pipeline.json").path) {
                file = url.appendingPathComponent("pipeline.json")
                definition = try PipelineLoader.definition(contentsOf: file)
            } else if isFolder.boolValue, PipelineLoader.isSingleModelDirectory(url) {
                pipelineFile = false
                definition = try PipelineLoader.definition(contentsOf: url)
            } else if isFolder.boolValue {
                pipelineFile = false
                file = try Self.singleArtifact(in: url)
                definition = Self.oneStage(name: url.lastPathComponent, artifact: file)
            } else if url.pathExtension == "json", Self.isPipelineFile(url) {
                definition = try PipelineLoader.definition(contentsOf: url)
            } else {
                pipelineFile = false
                definition = Self.oneStage(name: url.deletingPathExtension().lastPathComponent, artifact: url)
            }
            definition = try sageMaker.apply(to: definition)
        } catch {
            throw ConveyorError.wrap(error, code: .modelLoadFailed)
        }
        let base = isFolder.boolValue && file == url ? url : file.deletingLastPathComponent()
        var bytes = pipelineFile ? Self.size(of: file) : 0
        for stage in definition.stages where !stage.model.contains("://") || stage.model.hasPrefix("file://") {
            let path = stage.model.hasPrefix("file://") ? String(stage.model.dropFirst(7)) : stage.model
            let (sum, overflow) = bytes.addingReportingOverflow(
                Self.size(of: path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)))
            bytes = overflow ? Int.max : sum
        }
        return PreparedModel(definition: definition, base: base, sourceURL: file, artifactBytes: bytes, temporary: temporary)
    }

    static func oneStage(name: String, artifact: URL) -> PipelineDefinition {
        let kind = artifactExtensions[artifact.pathExtension.lowercased()] ?? "xgboost"
        return PipelineDefinition(name: name, stages: [StageDefinition(name: name, kind: kind, model: artifact.path)])
    }

    /// A JSON file with a `stages` list (an XGBoost model's JSON has none).
    static func isPipelineFile(_ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe), data.count <= 16 << 20,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["stages"] is [Any]
    }

    static func singleArtifact(in folder: URL) throws -> URL {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let artifacts = files.filter { !$0.lastPathComponent.hasPrefix(".") && artifactExtensions[$0.pathExtension.lowercased()] != nil }
        guard artifacts.count == 1, let artifact = artifacts.first else {
            throw ConveyorError(
                .modelLoadFailed,
                "\(folder.path) holds no pipeline.json, is no Spark ML or MLflow model folder, and holds "
                    + "\(artifacts.count) model files (.zip, .json, .ubj, .bst, .model) where one is needed")
        }
        return artifact
    }

    /// Bytes of a file, or of every file under a folder (the first `maxFiles`).
    static func size(of url: URL) -> Int {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else { return 0 }
        guard isFolder.boolValue else { return (try? manager.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
        var total = 0
        var count = 0
        let enumerator = manager.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let item = enumerator?.nextObject() as? URL, count < maxFiles {
            count += 1
            guard let values = try? item.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
                  values.isRegularFile == true, let size = values.fileSize else { continue }
            let (sum, overflow) = total.addingReportingOverflow(size)
            total = overflow ? Int.max : sum
        }
        return total
    }
}
