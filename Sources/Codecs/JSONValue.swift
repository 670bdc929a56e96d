import ConveyorCore

/// A parsed JSON value. Numbers keep their literal text so that each
/// column parses them its own way: exactly for doubles, without a detour
/// through Double for 64-bit integers, verbatim for string columns.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order (duplicate keys: the first wins on lookup).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    /// A short name for messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

extension Schema {
    /// Reads SageMaker's `{"input": [fields], "output": field or [fields]}`.
    init(json: JSONValue) throws {
        guard case .array(let inputs)? = json["input"] else {
            throw ConveyorError(.invalidInput, "the request schema needs an 'input' list of fields")
        }
        let outputs: [JSONValue]
        switch json["output"] {
        case .array(let many)?: outputs = many
        case .object(let one)?: outputs = [.object(one)]
        default: outputs = []
        }
        self.init(input: try inputs.map(SchemaField.init(json:)),
                  output: try outputs.map(SchemaField.init(json:)))
    }
}

extension SchemaField {
    /// `{"name": "x", "type": "double", "struct": "vector"}`; type defaults
    /// to double and struct to basic, as in the SparkML container.
    init(json: JSONValue) throws {
        guard case .string(let name)? = json["name"] else {
            throw ConveyorError(.invalidInput, "every request schema field needs a 'name'")
        }
        var typeName = "double"
        if case .string(let text)? = json["type"] { typeName = text }
        guard let type = ScalarType(schemaName: typeName) else {
            throw ConveyorError(
                .invalidInput,
                "unknown type '\(typeName)' for '\(name)'; expected one of "
                    + ScalarType.allCases.map(\.rawValue).joined(separator: ", "),
                column: name)
        }
        var structName = "basic"
        if case .string(let text)? = json["struct"] { structName = text }
        guard let structure = Structure(rawValue: structName.lowercased()) else {
            throw ConveyorError(
                .invalidInput,
                "unknown struct '\(structName)' for '\(name)'; expected basic, vector or array",
                column: name)
        }
        self.init(name: name, type: type, structure: structure)
    }
}
