import ConveyorCore
import Foundation

/// A parsed JSON document. Bundle files are small, so a tree is fine here;
/// hot paths never touch it (attributes are converted once at load).
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `data`; a document of more than `maxValues` values is refused
    /// before decoding, since each costs ~50 bytes as a tree (a 28 MB
    /// `[0,0,…]` grew to 790 MB).
    static func parse(_ data: Data, file: String, maxValues: Int = MLeapLimits.maxJSONValues) throws -> JSONValue {
        let count = valueCount(data)
        guard count <= maxValues else {
            throw ConveyorError(
                .unsupportedModel, "'\(file)' holds about \(count) JSON values; the limit is \(maxValues)")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConveyorError(.modelCorrupt, "'\(file)' is not valid JSON: \(error)")
        }
    }

    /// An upper estimate of the values in a JSON text: one, plus one per
    /// comma and per opened container outside strings.
    static func valueCount(_ data: Data) -> Int {
        var count = 1
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                count += 1
            }
        }
        return count
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Numbers as doubles; `null` is how MLeap writes NaN and ±Infinity.
    var double: Double? {
        switch self {
        case .number(let value): return value
        case .null: return .nan
        default: return nil
        }
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
