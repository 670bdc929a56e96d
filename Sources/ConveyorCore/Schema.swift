/// A column declaration in SageMaker's `SAGEMAKER_SPARKML_SCHEMA` shape:
/// `{"name": "buying", "type": "string"}` or
/// `{"name": "features", "type": "double", "struct": "vector"}`.
public struct SchemaField: Sendable, Equatable, Codable {
    public enum Structure: String, Sendable, Codable {
        case basic, vector, array
    }

    public var name: String
    public var type: ScalarType
    public var structure: Structure

    public init(name: String, type: ScalarType, structure: Structure = .basic) {
        self.name = name
        self.type = type
        self.structure = structure
    }

    enum CodingKeys: String, CodingKey {
        case name, type
        case structure = "struct"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        let typeName = try container.decodeIfPresent(String.self, forKey: .type) ?? "double"
        guard let type = ScalarType(schemaName: typeName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown type '\(typeName)' for '\(name)'; expected one of "
                    + ScalarType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.type = type
        let structName = try container.decodeIfPresent(String.self, forKey: .structure) ?? "basic"
        guard let structure = Structure(rawValue: structName.lowercased()) else {
            throw DecodingError.dataCorruptedError(
                forKey: .structure, in: container,
                debugDescription: "unknown struct '\(structName)' for '\(name)'; expected basic, vector or array")
        }
        self.structure = structure
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type.rawValue, forKey: .type)
        if structure != .basic { try container.encode(structure.rawValue, forKey: .structure) }
    }

    /// `array` of `string` is a list of strings per row; any other
    /// `vector` or `array` is a vector of doubles.
    public var columnType: ColumnType {
        switch structure {
        case .basic: return ColumnType(type)
        case .array where type == .string: return .stringList
        case .vector, .array: return ColumnType(type, .vector(width: nil))
        }
    }

    public var spec: ColumnSpec { ColumnSpec(name, columnType) }
}

/// `{"input": [fields], "output": field or [fields]}`, as SageMaker's
/// SparkML Serving container takes it.
public struct Schema: Sendable, Equatable, Codable {
    public var input: [SchemaField]
    public var output: [SchemaField]

    public init(input: [SchemaField], output: [SchemaField]) {
        self.input = input
        self.output = output
    }

    enum CodingKeys: String, CodingKey { case input, output }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        input = try container.decode([SchemaField].self, forKey: .input)
        if let many = try? container.decode([SchemaField].self, forKey: .output) {
            output = many
        } else {
            output = [try container.decode(SchemaField.self, forKey: .output)]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        if output.count == 1 {
            try container.encode(output[0], forKey: .output)
        } else {
            try container.encode(output, forKey: .output)
        }
    }
}
