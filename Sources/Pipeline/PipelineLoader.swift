import Codecs
import ConveyorCore
import Foundation

/// Reads a pipeline file, loads every stage's model and checks the chain.
public struct PipelineLoader: Sendable {
    public var registry: StageRegistry

    public init(registry: StageRegistry = .builtin) {
        self.registry = registry
    }

    /// Loads `url`: a pipeline JSON file, or a model folder (`source(_:)`).
    /// Relative model and schema paths resolve against the pipeline file's folder.
    public func load(contentsOf url: URL) throws -> Pipeline {
        let source = try Self.source(url)
        return try load(source.definition, relativeTo: source.base, sourceURL: source.url)
    }

    public func load(_ definition: PipelineDefinition, relativeTo base: URL, sourceURL: URL? = nil) throws -> Pipeline {
        try validate(definition)
        let (contentType, accept) = try Self.mediaTypes(of: definition)
        var stages: [any Stage] = []
        var chain = ChainCheck()
        for (index, stageDefinition) in definition.stages.enumerated() {
            let context = StageContext(
                definition: stageDefinition,
                modelURL: Self.resolve(stageDefinition.model, against: base),
                schema: try schema(of: stageDefinition, relativeTo: base),
                previousOutputs: stages.last?.outputs ?? [],
                index: index)
            guard let factory = registry.factory(for: stageDefinition.kind) else {
                throw ConveyorError(.invalidPipeline, "unknown stage kind '\(stageDefinition.kind)'", stage: stageDefinition.name)
            }
            let stage: any Stage
            do {
                stage = try factory(context)
            } catch {
                throw ConveyorError.wrap(error, code: .modelCorrupt, stage: stageDefinition.name)
            }
            try chain.add(stage, isFirst: index == 0)
            stages.append(stage)
        }
        let outputs = try outputColumns(definition, stages: stages, chain: chain)
        return Pipeline(definition: definition, sourceURL: sourceURL, stages: stages,
                        inputs: chain.pipelineInputs, outputs: outputs,
                        defaultContentType: contentType, defaultAccept: accept)
    }

    /// Parses a pipeline file without loading models; a folder as `source(_:)` reads it.
    public static func definition(contentsOf url: URL) throws -> PipelineDefinition {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return try source(url).definition
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConveyorError(.invalidPipeline, "cannot read pipeline file \(url.path): \(Self.reason(error))")
        }
        do {
            return try JSONDecoder().decode(PipelineDefinition.self, from: data)
        } catch let error as DecodingError {
            throw ConveyorError(.invalidPipeline, "\(url.lastPathComponent): \(error.readableMessage)")
        } catch {
            throw ConveyorError(.invalidPipeline, "\(url.lastPathComponent): not valid JSON: \(error)")
        }
    }

    func validate(_ definition: PipelineDefinition) throws {
        guard !definition.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConveyorError(.invalidPipeline, "the pipeline needs a non-empty 'name'")
        }
        guard (1...PipelineDefinition.maxStages).contains(definition.stages.count) else {
            throw ConveyorError(
                .invalidPipeline,
                "a pipeline has 1 to \(PipelineDefinition.maxStages) stages; '\(definition.name)' has \(definition.stages.count)")
        }
        var seen: Set<String> = []
        for stage in definition.stages {
            guard !stage.name.isEmpty else {
                throw ConveyorError(.invalidPipeline, "every stage needs a non-empty 'name'")
            }
            guard seen.insert(stage.name).inserted else {
                throw ConveyorError(.invalidPipeline, "two stages are named '\(stage.name)'; stage names must be unique", stage: stage.name)
            }
            guard registry.factory(for: stage.kind) != nil else {
                throw ConveyorError(
                    .invalidPipeline,
                    "unknown stage kind '\(stage.kind)'; known kinds: \(registry.kinds.joined(separator: ", "))",
                    stage: stage.name)
            }
        }
    }

    /// The pipeline's default request and response types. An unsupported
    /// value is refused here, at load, rather than at the first request.
    static func mediaTypes(of definition: PipelineDefinition) throws -> (contentType: MediaType, accept: MediaType) {
        let contentType: MediaType
        do {
            contentType = try definition.contentType.map { try MediaType(contentType: $0) } ?? .csv
        } catch {
            throw ConveyorError(.invalidPipeline, "the pipeline's 'content_type' \(Self.describe(definition.contentType)) is not supported; use \(MediaType.supportedList)")
        }
        let accept: MediaType
        do {
            accept = try definition.accept.map { try MediaType.accepted(by: $0) ?? .csv } ?? .csv
        } catch {
            throw ConveyorError(.invalidPipeline, "the pipeline's 'accept' \(Self.describe(definition.accept)) is not supported; use \(MediaType.supportedList)")
        }
        return (contentType, accept)
    }

    private static func describe(_ value: String?) -> String { "'\(value ?? "")'" }

    private func schema(of stage: StageDefinition, relativeTo base: URL) throws -> Schema? {
        switch stage.schema {
        case nil: return nil
        case .inline(let schema): return schema
        case .file(let path):
            let url = Self.resolve(path, against: base)
            do {
                return try JSONDecoder().decode(Schema.self, from: Data(contentsOf: url))
            } catch let error as DecodingError {
                throw ConveyorError(.invalidPipeline, "schema file \(path): \(error.readableMessage)", stage: stage.name)
            } catch {
                throw ConveyorError(.invalidPipeline, "cannot read schema file \(path): \(Self.reason(error))", stage: stage.name)
            }
        }
    }

    private func outputColumns(_ definition: PipelineDefinition, stages: [any Stage], chain: ChainCheck) throws -> [ColumnSpec] {
        guard let names = definition.output else { return stages.last?.outputs ?? [] }
        return try names.map { name in
            guard let spec = chain.spec(of: name) else {
                throw ConveyorError(
                    .invalidPipeline,
                    "the pipeline's 'output' names column '\(name)', which no stage produces", column: name)
            }
            return spec
        }
    }

    static func resolve(_ path: String, against base: URL) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        if path.hasPrefix("file://"), let url = URL(string: path) { return url.standardizedFileURL }
        return base.appendingPathComponent(path).standardizedFileURL
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}
