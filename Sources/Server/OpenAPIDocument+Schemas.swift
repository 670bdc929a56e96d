import Codecs
import ConveyorCore

/// JSON Schemas of one pipeline's columns, as the codecs read and write
/// them (docs/content-types.md): a string column is text, numbers are JSON
/// numbers (integers within their type's range), a vector is an array of
/// numbers of its width, a missing value is null. Outputs write NaN and
/// infinities as null.
extension OpenAPIDocument {
    static func column(_ type: ColumnType) -> JSONValue {
        let scalar: JSONValue
        switch type.scalar {
        case .string: scalar = .object(["type": .strings(["string", "null"])])
        case .boolean: scalar = .object(["type": .strings(["boolean", "null"])])
        case .byte: scalar = integer(Int(Int8.min), Int(Int8.max))
        case .short: scalar = integer(Int(Int16.min), Int(Int16.max))
        case .int: scalar = integer(Int(Int32.min), Int(Int32.max))
        case .long: scalar = .object(["type": .strings(["integer", "null"])])
        case .float, .double: scalar = .object(["type": .strings(["number", "null"])])
        }
        switch type.shape {
        case .scalar:
            return scalar
        case .vector(let width):
            var members: [(key: String, value: JSONValue)] = [("type", .strings(["array", "null"])), ("items", scalar)]
            if let width { members += [("minItems", .integer(width)), ("maxItems", .integer(width))] }
            return .object(members)
        case .list:
            return .object(["type": .strings(["array", "null"]), "items": scalar])
        }
    }

    private static func integer(_ minimum: Int, _ maximum: Int) -> JSONValue {
        .object(["type": .strings(["integer", "null"]), "minimum": .integer(minimum), "maximum": .integer(maximum)])
    }

    /// `{"buying": "low", …}`: one row as an object of its input columns.
    static func rowObject(_ inputs: [ColumnSpec]) -> JSONValue {
        .object(["type": .text("object"), "required": .strings(inputs.map(\.name)),
                 "properties": .object(inputs.map { (key: $0.name, value: column($0.type)) })])
    }

    /// `["low", "low", …]`: one row as its values in input column order.
    static func rowValues(_ inputs: [ColumnSpec]) -> JSONValue {
        .object(["type": .text("array"), "prefixItems": .array(inputs.map { column($0.type) }),
                 "minItems": .integer(inputs.count), "maxItems": .integer(inputs.count)])
    }

    /// One answer row: an object of the output columns.
    static func prediction(_ outputs: [ColumnSpec]) -> JSONValue {
        .object(["type": .text("object"), "required": .strings(outputs.map(\.name)),
                 "properties": .object(outputs.map { (key: $0.name, value: column($0.type)) })])
    }

    /// The JSON shapes `application/json` requests take, in this pipeline's
    /// columns (the other content types keep the YAML's text schemas).
    static func rowsSchema(_ key: String) -> JSONValue {
        let values = JSONValue.reference("\(key).Values"), row = JSONValue.reference("\(key).Row")
        let either = JSONValue.object(["anyOf": .array([values, row])])
        return .object(["anyOf": .array([
            .object(["type": .text("object"), "required": .strings(["data"]), "properties": .object([
                "data": .object(["anyOf": .array([values, .object(["type": .text("array"), "minItems": .integer(1),
                                                                   "items": values])])])])]),
            .object(["type": .text("object"), "required": .strings(["instances"]), "properties": .object([
                "instances": .object(["type": .text("array"), "minItems": .integer(1), "items": either])])]),
            .object(["type": .text("array"), "minItems": .integer(1), "items": either]),
            row,
        ])])
    }

    /// `{"predictions": [<Prediction>, …]}`.
    static func predictionsSchema(_ key: String) -> JSONValue {
        .object(["type": .text("object"), "required": .strings(["predictions"]),
                 "properties": .object(["predictions": .object([
                     "type": .text("array"), "items": .reference("\(key).Prediction")])])])
    }

    /// An inference request whose inputs are this pipeline's columns: each
    /// tensor named after one, with the datatypes the protocol's decoder
    /// takes for it (`InferenceProtocol`).
    static func inferenceRequest(_ inputs: [ColumnSpec], outputs: [ColumnSpec]) -> JSONValue {
        let integers = ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]
        let tensors: [JSONValue] = inputs.map { spec in
            let datatypes: [String]
            switch spec.type.scalar {
            case .string: datatypes = ["BYTES"]
            case .boolean: datatypes = ["BOOL"]
            case .byte, .short, .int, .long: datatypes = integers
            case .float, .double: datatypes = ["FP32", "FP64"] + integers
            }
            return .object(["type": .text("object"), "required": .strings(["name", "shape", "datatype", "data"]),
                            "properties": .object([
                                "name": .object(["const": .string(spec.name)]),
                                "shape": .object(["type": .text("array"), "items": .object([
                                    "type": .text("integer"), "minimum": .integer(0)])]),
                                "datatype": .object(["enum": .strings(datatypes)]),
                                "parameters": .object(["type": .text("object")]),
                                "data": .object(["type": .text("array")]),
                            ])])
        }
        return .object(["type": .text("object"), "required": .strings(["inputs"]), "properties": .object([
            "id": .object(["type": .text("string")]),
            "parameters": .object(["type": .text("object")]),
            "inputs": .object(["type": .text("array"), "minItems": .integer(1), "items": .object(["oneOf": .array(tensors)])]),
            "outputs": .object(["type": .text("array"), "items": .object([
                "type": .text("object"), "required": .strings(["name"]), "properties": .object([
                    "name": .object(["enum": .strings(outputs.map(\.name))]), "parameters": .object(["type": .text("object")])])])]),
        ])])
    }
}
