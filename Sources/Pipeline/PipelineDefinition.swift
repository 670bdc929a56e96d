import ConveyorCore

/// A pipeline file: a name and 1 to 15 stages run in order.
///
/// ```json
/// {"name": "car-evaluation",
///  "stages": [
///    {"name": "features", "kind": "mleap", "model": "../models/car-evaluation/features.zip",
///     "schema": {"input": [{"name": "buying", "type": "string"}],
///                "output": {"name": "features", "type": "double", "struct": "vector"}}},
///    {"name": "classifier", "kind": "xgboost", "model": "../models/car-evaluation/xgboost.json"}]}
/// ```
public struct PipelineDefinition: Sendable, Equatable {
    /// SageMaker inference pipelines allow at most 15 containers.
    public static let maxStages = 15

    public var name: String
    public var description: String?
    public var stages: [StageDefinition]
    /// The columns returned to the caller; default: the last stage's outputs.
    public var output: [String]?
    /// Content type assumed when a request names none; default `text/csv`.
    public var contentType: String?
    /// Accept used when a request names none (or `*/*`); default `text/csv`.
    public var accept: String?

    public init(name: String, description: String? = nil, stages: [StageDefinition],
                output: [String]? = nil, contentType: String? = nil, accept: String? = nil) {
        self.name = name
        self.description = description
        self.stages = stages
        self.output = output
        self.contentType = contentType
        self.accept = accept
    }
}

extension PipelineDefinition: Decodable {
    static let keys: Set<String> = ["name", "description", "stages", "output", "content_type", "accept", "$schema"]

    enum CodingKeys: String, CodingKey {
        case name, description, stages, output
        case contentType = "content_type"
        case accept
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Self.keys, what: "pipeline")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        stages = try container.decode([StageDefinition].self, forKey: .stages)
        if let single = try? container.decode(String.self, forKey: .output) {
            output = [single]
        } else {
            output = try container.decodeIfPresent([String].self, forKey: .output)
        }
        contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
        accept = try container.decodeIfPresent(String.self, forKey: .accept)
    }
}

/// Refuses keys a hand-written file should not have, so that a typo
/// (`"modle"`) is an error instead of a silently ignored setting.
enum StrictKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func check(_ decoder: any Decoder, allowed: Set<String>, what: String) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown \(what) key\(unknown.count > 1 ? "s" : "") "
                    + unknown.sorted().map { "'\($0)'" }.joined(separator: ", ")
                    + "; allowed: " + allowed.sorted().joined(separator: ", ")))
        }
    }
}
