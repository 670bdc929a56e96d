import ConveyorCore
import Foundation

extension PipelineLoader {
    /// A pipeline definition with where it came from.
    public struct Source: Sendable {
        public var definition: PipelineDefinition
        /// The folder relative model and schema paths resolve against.
        public var base: URL
        /// The pipeline file, model file or model folder read.
        public var url: URL
    }

    /// Reads `url` without loading models: a pipeline file; or a folder as
    /// `ModelFolder.read` reads it (a `pipeline.json`, one model as a whole,
    /// or one model file); any other folder as a Spark ML model directory,
    /// whose loader then says what is missing.
    public static func source(_ url: URL) throws -> Source {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            return Source(definition: try definition(contentsOf: url), base: url.deletingLastPathComponent(), url: url)
        }
        let folder = url.standardizedFileURL
        if let reading = try ModelFolder.read(folder) {
            return Source(definition: reading.definition, base: reading.isPipelineFile
                              ? reading.source.deletingLastPathComponent() : folder,
                          url: reading.source)
        }
        let name = folder.lastPathComponent
        return Source(definition: PipelineDefinition(name: name, stages: [StageDefinition(name: name, kind: "sparkml",
                                                                                         model: folder.path)]),
                      base: folder, url: folder)
    }
}
