import Codecs
import Foundation

/// JSON text to the objects `JSONSerialization` gives (`[String: Any]`,
/// `[Any]`, `String`, `NSNumber`, `NSNull`), but with every number parsed
/// exactly. swift-corelibs-foundation's `JSONSerialization` rounds some
/// doubles to a neighbour (it reads 13.965933160519612 as
/// 13.965933160519615), which made exact comparisons with fixtures fail and
/// hid real last-bit differences behind tolerances. Tests read fixture and
/// response JSON with this instead; the parsing is Conveyor's own JSON
/// reader (`Codecs.JSONValue`), which keeps each number's text.
public enum ExactJSON {
    public struct Malformed: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "not a JSON number: \(text)" }
    }

    public static func object(with data: Data) throws -> Any {
        try foundationObject(data.withUnsafeBytes { try JSONValue.parse($0) })
    }

    static func foundationObject(_ value: JSONValue) throws -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return NSNumber(value: flag)
        case .string(let text): return text
        case .number(let text):
            // Integers as JSONSerialization gives them (Int when they fit).
            if !text.contains(where: { ".eE".contains($0) }), let integer = Int(text) { return NSNumber(value: integer) }
            guard let double = Double(text) else { throw Malformed(text: text) }
            return NSNumber(value: double)
        case .array(let items): return try items.map(foundationObject)
        case .object(let members):
            var result: [String: Any] = [:]
            for (key, member) in members where result[key] == nil { result[key] = try foundationObject(member) }
            return result
        }
    }
}
