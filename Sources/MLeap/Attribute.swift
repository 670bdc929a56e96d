import ConveyorCore

/// One attribute of a node's `model.json`: `{"double": 1.5}`,
/// `{"type": "list", "string": [...]}`, `{"type": "tensor", "double": [...],
/// "shape": ...}`, or `{}` when the Spark writer dropped a default value.
struct Attribute: Sendable, Equatable {
    let raw: JSONValue

    /// `{}`: a default the writer left out (false, 0, empty).
    var isDefault: Bool { raw.object?.isEmpty ?? false }

    private func value(_ key: String) -> JSONValue? { raw[key] }

    var string: String? { value("string")?.string }

    var bool: Bool? {
        if isDefault { return false }
        return value("boolean")?.bool
    }

    var double: Double? {
        if isDefault { return 0 }
        for key in ["double", "float", "long", "int"] {
            if let number = value(key)?.double { return number }
        }
        return nil
    }

    var int: Int? {
        guard let number = double, number.isFinite else { return nil }
        return Int(number)
    }

    var strings: [String]? {
        if isDefault { return [] }
        return value("string")?.array?.compactMap(\.string)
    }

    /// A list or a tensor of numbers, flattened; `null` entries become NaN.
    var doubles: [Double]? {
        if isDefault { return [] }
        for key in ["double", "float", "long", "int"] {
            if let items = value(key)?.array { return items.map { $0.double ?? .nan } }
        }
        return nil
    }

    var ints: [Int]? { doubles?.map { $0.isFinite ? Int($0) : 0 } }

    /// Tensor dimensions, when the attribute is a tensor.
    var tensorShape: [Int]? {
        value("shape")?["dimensions"]?.array?.compactMap { $0["size"]?.double }.map { Int($0) }
    }
}

/// The attributes of one node, with lookups that fail with a message
/// naming the node and attribute.
struct Attributes: Sendable {
    let values: [String: Attribute]
    let node: String
    let op: String

    subscript(name: String) -> Attribute? { values[name] }

    func has(_ name: String) -> Bool { values[name] != nil }

    private func missing(_ name: String, _ kind: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "MLeap node '\(node)' (\(op)): attribute '\(name)' is missing or not \(kind)")
    }

    func string(_ name: String) throws -> String {
        guard let value = values[name]?.string else { throw missing(name, "a string") }
        return value
    }

    func double(_ name: String) throws -> Double {
        guard let value = values[name]?.double else { throw missing(name, "a number") }
        return value
    }

    func int(_ name: String) throws -> Int {
        guard let value = values[name]?.int else { throw missing(name, "an integer") }
        return value
    }

    func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let attribute = values[name] else { return fallback }
        guard let value = attribute.bool else { throw missing(name, "a boolean") }
        return value
    }

    func strings(_ name: String) throws -> [String] {
        guard let value = values[name]?.strings else { throw missing(name, "a list of strings") }
        return value
    }

    func doubles(_ name: String) throws -> [Double] {
        guard let value = values[name]?.doubles else { throw missing(name, "a list or tensor of numbers") }
        return value
    }

    /// `handle_invalid`, which defaults to `error` as in Spark.
    func handleInvalid() throws -> HandleInvalid {
        guard let text = values["handle_invalid"]?.string else { return .error }
        guard let mode = HandleInvalid(rawValue: text.lowercased()) else {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node)' (\(op)): unknown handle_invalid '\(text)'")
        }
        return mode
    }
}

/// What to do with a value the model has not seen: Spark's `handleInvalid`.
enum HandleInvalid: String, Sendable {
    case error, keep, skip
}
