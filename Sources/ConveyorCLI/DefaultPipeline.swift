import ConveyorCore
import Foundation

/// Finds the pipeline when a command is given none: `$CONVEYOR_PIPELINE`;
/// then SageMaker's model folder, `/opt/ml/model` (`$CONVEYOR_MODEL_DIR`
/// moves it), when it exists and is not empty, read as `ModelFolder` reads
/// it; then the bundled `pipelines/car-evaluation.json` under the working
/// directory, then under the folders above the executable (so
/// `.build/release/conveyor` finds the repository's copy).
enum DefaultPipeline {
    static let relativePath = "pipelines/car-evaluation.json"
    static let sageMakerModelDir = "/opt/ml/model"

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let path = environment["CONVEYOR_PIPELINE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let fileManager = FileManager.default
        let modelDir = environment["CONVEYOR_MODEL_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? sageMakerModelDir
        if let entries = try? fileManager.contentsOfDirectory(atPath: modelDir), !entries.isEmpty {
            return URL(fileURLWithPath: modelDir, isDirectory: true)
        }
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath)]
        // The executable's own path (/proc/self/exe): argv[0] is a bare name when found through PATH.
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for base in candidates {
            let url = base.appendingPathComponent(relativePath)
            if fileManager.fileExists(atPath: url.path) { return url }
        }
        throw ConveyorError(
            .invalidPipeline,
            "no --pipeline given and the default \(relativePath) was not found; pass --pipeline FILE or set CONVEYOR_PIPELINE")
    }
}
