import ConveyorCore
import Operators

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

    /// An integer exactly: 1e19 or 2.5 is not one (Int(exactly:) never traps).
    var int: Int? {
        guard let number = double else { return nil }
        return Int(exactly: number)
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

    /// Tensor dimensions, when the attribute is a tensor; nil when any is
    /// missing, negative or not an integer.
    var tensorShape: [Int]? {
        guard let dimensions = value("shape")?["dimensions"]?.array else { return nil }
        var shape: [Int] = []
        for dimension in dimensions {
            guard let size = dimension["size"]?.double.flatMap({ Int(exactly: $0) }), size >= 0 else { return nil }
            shape.append(size)
        }
        return shape
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

    /// A list or tensor of numbers; a tensor's shape must hold exactly its values.
    func doubles(_ name: String) throws -> [Double] {
        guard let attribute = values[name], let value = attribute.doubles else {
            throw missing(name, "a list or tensor of numbers")
        }
        if attribute.raw["shape"]?["dimensions"] != nil {
            guard let shape = attribute.tensorShape else { throw missing(name, "a tensor with a valid shape") }
            try checkShape(name, shape, count: value.count)
        }
        return value
    }

    /// Refuses a tensor whose dimensions (multiplied without overflow) do not
    /// give its value count: a shape of 10^12 with one value is corrupt.
    func checkShape(_ name: String, _ shape: [Int], count: Int) throws {
        var product = 1
        for size in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw ConveyorError(
                    .modelCorrupt, "MLeap node '\(node)' (\(op)): tensor '\(name)' has shape \(shape), too large")
            }
            product = next
        }
        guard product == count else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node)' (\(op)): tensor '\(name)' has shape \(shape) (\(product) values) but holds \(count)")
        }
    }

    /// A list of integers (indices, sizes); any fraction or out-of-range value is refused.
    func ints(_ name: String) throws -> [Int] {
        let numbers = try doubles(name)
        var out: [Int] = []
        out.reserveCapacity(numbers.count)
        for number in numbers {
            guard let value = Int(exactly: number) else { throw missing(name, "a list of integers (\(number))") }
            out.append(value)
        }
        return out
    }

    /// A width, size or count that sizes allocations: an integer in
    /// 0...MLeapLimits.maxWidth (`minimum` for a lower bound).
    func size(_ name: String, minimum: Int = 0) throws -> Int {
        try MLeapLimits.checkSize(try int(name), name, node: node, op: op, minimum: minimum)
    }

    /// `size(name)` when the attribute is present.
    func optionalSize(_ name: String, minimum: Int = 0) throws -> Int? {
        guard has(name) else { return nil }
        return try size(name, minimum: minimum)
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
