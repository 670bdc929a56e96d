import ConveyorCore
import Foundation
import Pipeline
import Server
import Storage

/// What a multi-model URL holds, read as SageMaker's multi-model containers
/// read `/opt/ml/models/{name}/model`: a folder as `ModelFolder` reads it,
/// a pipeline file, or one model file. `s3://` URLs are copied to a
/// temporary folder first.
struct ModelFolders: Sendable {
    /// A local absolute path (no trailing slash) or `s3://bucket/prefix`.
    let root: String
    let environment: [String: String]
    let sageMaker: SageMakerEnvironment

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
            if isFolder.boolValue {
                guard let reading = try ModelFolder.read(url) else {
                    throw ConveyorError(
                        .modelLoadFailed,
                        "\(url.path) holds no pipeline.json, is no Spark ML, MLflow or MLeap model folder, and holds "
                            + "no model file (.zip, .json, .ubj, .bst, .model, xgboost-model)")
                }
                file = reading.source
                pipelineFile = reading.isPipelineFile
                definition = reading.definition
            } else if url.pathExtension == "json", ModelFolder.isPipelineFile(url) {
                definition = try PipelineLoader.definition(contentsOf: url)
            } else {
                pipelineFile = false
                definition = ModelFolder.oneStage(name: url.deletingPathExtension().lastPathComponent, artifact: url)
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
