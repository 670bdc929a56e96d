import Foundation
import ConveyorCore

/// One entry of a pipeline file's `stages` list, as written by hand.
public struct StageDefinition: Sendable, Equatable {
    /// Unique within the pipeline; used in errors, metrics and traces.
    public var name: String
    /// `mleap`, `xgboost`, `lightgbm`, `sparkml`, `mlflow` or `remote` (registered by the CLI).
    public var kind: String
    /// Where the model is; relative paths resolve against the pipeline file.
    public var model: String
    /// Input and output columns in `SAGEMAKER_SPARKML_SCHEMA` shape.
    public var schema: SchemaReference?
    /// The column a single-input stage (xgboost, lightgbm) reads.
    public var input: String?
    /// The columns a stage returns (xgboost: SageMaker inference output names; lightgbm alike).
    public var outputs: [String]?
    /// xgboost stages: `native` (the default) or `libxgboost` to force the library.
    public var engine: String?
    /// Remote stages: the body type sent and the Accept asked for (default text/csv).
    public var contentType: String?
    public var accept: String?
    /// Remote stages: per-attempt timeout and retries after the first attempt.
    public var timeoutSeconds: Double?
    public var retries: Int?

    public init(name: String, kind: String, model: String, schema: SchemaReference? = nil,
                input: String? = nil, outputs: [String]? = nil) {
        self.name = name
        self.kind = kind
        self.model = model
        self.schema = schema
        self.input = input
        self.outputs = outputs
    }
}

/// A schema given inline or as a path to a JSON file holding one.
public enum SchemaReference: Sendable, Equatable {
    case inline(Schema)
    case file(String)
}

extension StageDefinition: Decodable {
    static let keys: Set<String> = ["name", "kind", "model", "schema", "input", "outputs", "description",
                                    "content_type", "accept", "timeout_seconds", "retries", "engine"]

    enum CodingKeys: String, CodingKey {
        case name, kind, model, schema, input, outputs, accept, retries, engine
        case contentType = "content_type"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: Self.keys, what: "stage")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(String.self, forKey: .kind)
        model = try container.decode(String.self, forKey: .model)
        if let path = try? container.decode(String.self, forKey: .schema) {
            schema = .file(path)
        } else {
            schema = try container.decodeIfPresent(Schema.self, forKey: .schema).map(SchemaReference.inline)
        }
        input = try container.decodeIfPresent(String.self, forKey: .input)
        if let single = try? container.decode(String.self, forKey: .outputs) {
            outputs = single.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            outputs = try container.decodeIfPresent([String].self, forKey: .outputs)
        }
        contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
        accept = try container.decodeIfPresent(String.self, forKey: .accept)
        timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        retries = try container.decodeIfPresent(Int.self, forKey: .retries)
        engine = try container.decodeIfPresent(String.self, forKey: .engine)
    }
}
