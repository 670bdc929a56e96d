import ConveyorCore
import Pipeline

/// The pipelines a server serves, by name. The first one answers the
/// container contract's `/invocations`; every one answers
/// `/endpoints/{name}/invocations`.
public struct PipelineCatalog: Sendable {
    public let pipelines: [Pipeline]
    private let byName: [String: Pipeline]

    /// Throws `.invalidPipeline` when empty or when two pipelines share a name.
    public init(_ pipelines: [Pipeline]) throws {
        guard !pipelines.isEmpty else {
            throw ConveyorError(.invalidPipeline, "no pipelines to serve")
        }
        var byName: [String: Pipeline] = [:]
        for pipeline in pipelines {
            guard byName.updateValue(pipeline, forKey: pipeline.name) == nil else {
                throw ConveyorError(.invalidPipeline, "two pipelines are named '\(pipeline.name)'; endpoint names must be unique")
            }
        }
        self.pipelines = pipelines
        self.byName = byName
    }

    public var primary: Pipeline { pipelines[0] }

    public func pipeline(named name: String) throws -> Pipeline {
        guard let pipeline = byName[name] else {
            throw ConveyorError(
                .notFound,
                "no endpoint named '\(name)'; this server has \(pipelines.map { "'\($0.name)'" }.joined(separator: ", "))")
        }
        return pipeline
    }
}
