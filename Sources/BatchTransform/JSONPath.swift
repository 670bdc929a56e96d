import Codecs
import ConveyorCore

/// The JSONPath subset SageMaker's DataProcessing accepts: `$`, `.name`,
/// `*`, `['a','b']`, `[i,j]` (negative from the end) and `[s:e]`. As
/// SageMaker documents it, a slice includes its end (`$[1:4]` is the second
/// through fifth element) and an omitted bound means the first or last.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Step: Equatable {
        case child(String)
        case children([String])
        case index(Int)
        case indexes([Int])
        case slice(Int?, Int?)
        case wildcard
    }

    public let description: String
    let steps: [Step]

    /// Nil for `$` (the identity, SageMaker's default); throws on anything
    /// outside the subset, naming the position.
    public static func parse(_ text: String) throws -> JSONPath? {
        let path = try JSONPath(text)
        return path.steps.isEmpty ? nil : path
    }

    public init(_ text: String) throws {
        description = text
        guard text.count <= 63 else { throw Self.error(text, "is longer than SageMaker's 63 characters") }
        var scanner = Substring(text)
        guard scanner.first == "$" else { throw Self.error(text, "must start with $") }
        scanner.removeFirst()
        var steps: [Step] = []
        while let first = scanner.first {
            if first == "." {
                scanner.removeFirst()
                if scanner.first == "[" { continue }  // `$.a.['b','c']`
                if scanner.first == "*" { scanner.removeFirst(); steps.append(.wildcard); continue }
                let name = scanner.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw Self.error(text, "has an empty name after '.'") }
                steps.append(.child(String(name)))
                scanner.removeFirst(name.count)
            } else if first == "[" {
                guard let close = scanner.firstIndex(of: "]") else { throw Self.error(text, "has an unclosed '['") }
                let inside = scanner[scanner.index(after: scanner.startIndex)..<close]
                steps.append(try Self.bracket(inside.trimmingCharacters(in: " "), text: text))
                scanner = scanner[scanner.index(after: close)...]
            } else {
                throw Self.error(text, "has an unexpected '\(first)'")
            }
        }
        self.steps = steps
    }

    private static func bracket(_ inside: String, text: String) throws -> Step {
        if inside == "*" { return .wildcard }
        if inside.hasPrefix("'") || inside.hasPrefix("\"") {
            let names = try inside.split(separator: ",").map { part -> String in
                let trimmed = part.trimmingCharacters(in: " ")
                guard trimmed.count >= 2, let quote = trimmed.first, trimmed.last == quote, quote == "'" || quote == "\"" else {
                    throw error(text, "has a bracket name that is not quoted: \(part)")
                }
                return String(trimmed.dropFirst().dropLast())
            }
            return names.count == 1 ? .child(names[0]) : .children(names)
        }
        if inside.contains(":") {
            let bounds = inside.split(separator: ":", omittingEmptySubsequences: false)
            guard bounds.count == 2 else { throw error(text, "has a slice with more than one ':'") }
            func bound(_ part: Substring) throws -> Int? {
                let trimmed = part.trimmingCharacters(in: " ")
                if trimmed.isEmpty { return nil }
                guard let value = Int(trimmed) else { throw error(text, "has a slice bound that is not a number: \(part)") }
                return value
            }
            return .slice(try bound(bounds[0]), try bound(bounds[1]))
        }
        let indexes = try inside.split(separator: ",").map { part -> Int in
            guard let value = Int(part.trimmingCharacters(in: " ")) else {
                throw error(text, "has an index that is not a number: \(part)")
            }
            return value
        }
        guard !indexes.isEmpty else { throw error(text, "has empty brackets") }
        return indexes.count == 1 ? .index(indexes[0]) : .indexes(indexes)
    }

    static func error(_ text: String, _ problem: String) -> ConveyorError {
        ConveyorError(.invalidInput, "JSONPath '\(text)' \(problem); supported: $ .name * ['a','b'] [i,j] [s:e]")
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        guard let start = firstIndex(where: { $0 != set }), let end = lastIndex(where: { $0 != set }) else { return "" }
        return String(self[start...end])
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}
