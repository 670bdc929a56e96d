import Foundation

extension DecodingError {
    /// A one-line message a person can act on: where in the file, and what.
    var readableMessage: String {
        switch self {
        case .keyNotFound(let key, let context):
            return "\(Self.path(context.codingPath)): missing required key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(Self.path(context.codingPath)): expected \(Self.typeName(type)); \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(Self.path(context.codingPath)): expected \(Self.typeName(type)), found null"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey]
            let detail = underlying.map { "\($0)" } ?? context.debugDescription
            return "\(Self.path(context.codingPath)): \(detail)"
        @unknown default:
            return "\(self)"
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "top level" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is [String].Type: return "a list of strings"
        case is Int.Type, is Double.Type: return "a number"
        default: return "\(type)"
        }
    }
}
