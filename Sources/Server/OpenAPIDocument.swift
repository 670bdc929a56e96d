import Codecs
import Yams

/// `GET /openapi.json`: docs/openapi.yaml as JSON, with what the served
/// pipelines make concrete added to it (`OpenAPIDocument+Pipelines.swift`):
/// each pipeline's input and output columns, named and typed, for
/// `/invocations`, `/models/{name}/invoke`, the Runtime API and the Open
/// Inference Protocol. The YAML stays the reference for the routes (a test
/// checks it against the router); the JSON is built from it on each request,
/// so pipelines reloaded or swapped are described as they are now.
struct OpenAPIDocument {
    private(set) var root: JSONValue

    /// Parses the document; it is compiled in, so a failure is a build defect
    /// that tests catch, not a request error.
    init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else { throw DocumentError(message: "empty OpenAPI document") }
        root = try Self.json(node)
    }

    struct DocumentError: Error {
        let message: String
    }

    var bytes: [UInt8] { root.bytes }

    /// YAML → JSON: scalars by the tag YAML's core schema resolves
    /// (`200` is a number, `"200"` and `3.1.0` are strings), keys as text.
    private static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return .bool(Bool.construct(from: scalar) ?? false)
            case .int:
                guard let value = Int.construct(from: scalar) else { break }
                return .number(String(value))
            case .float:
                guard let value = Double.construct(from: scalar), value.isFinite else { break }
                return .number("\(value)")
            default: break
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            return .object(try mapping.map { (key: $0.key.string ?? "", value: try json($0.value)) })
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .alias:
            throw DocumentError(message: "aliases are not used in the OpenAPI document")
        }
    }

    /// The value at `path` of nested objects.
    func value(at path: [String]) -> JSONValue? {
        path.reduce(root as JSONValue?) { value, key in value?[key] }
    }

    /// Sets the value at `path` of nested objects, creating objects on the
    /// way; a new member goes after the others, an existing one keeps its place.
    mutating func set(_ path: [String], to value: JSONValue) {
        root = Self.setting(root, path[...], to: value)
    }

    /// `object` with the value at `path` set (objects created on the way).
    static func setting(_ object: JSONValue, _ path: ArraySlice<String>, to value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let existing) = object { members = existing }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = setting(members[index].value, path.dropFirst(), to: value)
        } else {
            members.append((key, setting(.object([]), path.dropFirst(), to: value)))
        }
        return .object(members)
    }
}

/// Building blocks for schemas, written as they read in YAML.
extension JSONValue {
    static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { (key: $0.key, value: $0.value) })
    }

    static func text(_ value: String) -> JSONValue { .string(value) }

    static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func reference(_ schema: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(schema)")]) }
}
