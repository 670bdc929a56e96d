import Codecs
import ConveyorCore

extension JSONPath {
    /// Selects from `value`. A path of only names and single indexes gives
    /// one value; wildcards, lists and slices give an array of matches; a
    /// final `['a','b']` on one object gives an object with those members.
    /// A missing name or index on a definite path is an error.
    public func apply(_ value: JSONValue) throws -> JSONValue {
        var current = [value]
        var definite = true
        for (position, step) in steps.enumerated() {
            let isLast = position == steps.count - 1
            var next: [JSONValue] = []
            for node in current {
                switch step {
                case .child(let name):
                    if let child = node[name] { next.append(child) }
                case .children(let names):
                    guard case .object(let members) = node else { continue }
                    if isLast && definite {
                        return .object(names.compactMap { name in members.first { $0.key == name } })
                    }
                    next += names.compactMap { node[$0] }
                case .index(let index):
                    if case .array(let items) = node, let resolved = Self.resolve(index, count: items.count) {
                        next.append(items[resolved])
                    }
                case .indexes(let indexes):
                    guard case .array(let items) = node else { continue }
                    next += indexes.compactMap { Self.resolve($0, count: items.count).map { items[$0] } }
                case .slice(let start, let end):
                    guard case .array(let items) = node, !items.isEmpty else { continue }
                    let from = max(0, start.map { $0 < 0 ? items.count + $0 : $0 } ?? 0)
                    let through = min(items.count - 1, end.map { $0 < 0 ? items.count + $0 : $0 } ?? items.count - 1)
                    if from <= through { next += items[from...through] }
                case .wildcard:
                    switch node {
                    case .array(let items): next += items
                    case .object(let members): next += members.map(\.value)
                    default: break
                    }
                }
            }
            switch step {
            case .child, .index:
                if definite && next.isEmpty {
                    throw ConveyorError(.invalidInput, "JSONPath '\(description)' selects nothing in the record")
                }
            default:
                definite = false
            }
            current = next
        }
        return definite ? current[0] : .array(current)
    }

    private static func resolve(_ index: Int, count: Int) -> Int? {
        let resolved = index < 0 ? count + index : index
        return (0..<count).contains(resolved) ? resolved : nil
    }
}
