import Codecs
import ConveyorCore

/// What each served pipeline makes concrete: its columns as schemas
/// (`<name>.Row`, `<name>.Values`, `<name>.Prediction`,
/// `<name>.InferenceRequest` under `components/schemas`), and for each
/// pipeline its own copy of the routes that name one: `/endpoints/<name>/invocations`,
/// `/models/<name>/invoke` and `/v2/models/<name>/infer`, whose JSON bodies
/// use those schemas; `/invocations` uses the first pipeline's.
extension OpenAPIDocument {
    struct Described {
        let name: String
        let inputs: [ColumnSpec]
        let outputs: [ColumnSpec]
    }

    mutating func describe(_ pipelines: [Described]) {
        for (index, pipeline) in pipelines.enumerated() {
            let key = Self.schemaKey(pipeline.name)
            set(["components", "schemas", "\(key).Row"], to: Self.rowObject(pipeline.inputs))
            set(["components", "schemas", "\(key).Values"], to: Self.rowValues(pipeline.inputs))
            set(["components", "schemas", "\(key).Prediction"], to: Self.prediction(pipeline.outputs))
            set(["components", "schemas", "\(key).InferenceRequest"], to: Self.inferenceRequest(pipeline.inputs, outputs: pipeline.outputs))
            // The YAML's generic body and answer, their JSON schema made this pipeline's.
            let json = ["content", "application/json", "schema"][...]
            let rows = Self.setting(value(at: ["components", "requestBodies", "Rows"]) ?? .object([]), json,
                                    to: Self.rowsSchema(key))
            let predictions = Self.setting(value(at: ["components", "responses", "Predictions"]) ?? .object([]), json,
                                           to: Self.predictionsSchema(key))
            if index == 0 { specialise(path: "/invocations", templated: "/invocations", key: nil, rows, predictions) }
            specialise(path: "/endpoints/\(pipeline.name)/invocations", templated: "/endpoints/{endpoint}/invocations",
                       key: key, rows, predictions)
            specialise(path: "/models/\(pipeline.name)/invoke", templated: "/models/{name}/invoke", key: key,
                       rows, predictions)
            specialise(path: "/v2/models/\(pipeline.name)/infer", templated: "/v2/models/{model}/infer", key: key,
                       .object(["required": .bool(true), "content": .object(["application/json": .object([
                           "schema": .reference("\(key).InferenceRequest")])])]), nil)
        }
    }

    /// A copy of the POST operation at `templated` under `path`, its path
    /// parameter dropped, with this pipeline's request body and answer.
    private mutating func specialise(path: String, templated: String, key: String?, _ body: JSONValue,
                                     _ answer: JSONValue?) {
        guard case .object(var operation)? = value(at: ["paths", templated, "post"]) else { return }
        for (index, member) in operation.enumerated() {
            switch member.key {
            case "operationId":
                if let key, case .string(let id) = member.value { operation[index].value = .string("\(id)_\(key)") }
            case "parameters":
                guard case .array(let parameters) = member.value else { continue }
                operation[index].value = .array(parameters.filter { !Self.isPathParameter($0) })
            case "requestBody":
                operation[index].value = body
            default:
                continue
            }
        }
        set(["paths", path, "post"], to: .object(operation))
        if let answer { set(["paths", path, "post", "responses", "200"], to: answer) }
    }

    private static func isPathParameter(_ parameter: JSONValue) -> Bool {
        if case .string("path")? = parameter["in"] { return true }
        guard case .string(let reference)? = parameter["$ref"] else { return false }
        return ["#/components/parameters/ModelName", "#/components/parameters/Model"].contains(reference)
    }

    /// Component keys allow ASCII letters, digits, `.`, `-` and `_`; the
    /// name's other characters become `_` (`.` too: it separates the parts).
    static func schemaKey(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            let kept = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_"
            return kept ? Character(scalar) : "_"
        })
    }
}
