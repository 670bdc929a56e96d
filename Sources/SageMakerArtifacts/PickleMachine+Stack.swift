/// The stack and memo of `PickleMachine`, with the bounds that keep a
/// hostile pickle small: stack size, memo entries, nesting depth and the
/// elements copied while growing lists and dicts.
extension PickleMachine {
    mutating func push(_ value: PickleValue, depth: Int = 0) throws {
        guard stack.count < Self.maxStack else { throw Refusal(message: "the stack grows past \(Self.maxStack) items") }
        guard depth <= Self.maxDepth else { throw Refusal(message: "values nest deeper than \(Self.maxDepth)") }
        stack.append(.value(value, depth: depth))
    }

    mutating func pushMark() throws {
        guard stack.count < Self.maxStack else { throw Refusal(message: "the stack grows past \(Self.maxStack) items") }
        stack.append(.mark)
    }

    /// A tuple or list of `items`, one level deeper than the deepest.
    mutating func pushContainer(
        _ items: [(value: PickleValue, depth: Int)], _ make: ([PickleValue]) -> PickleValue
    ) throws {
        try push(make(items.map(\.value)), depth: 1 + (items.map(\.depth).max() ?? 0))
    }

    mutating func pop(_ offset: Int) throws -> PickleValue {
        try popItems(1, offset)[0].value
    }

    /// The top `count` values, bottom first.
    mutating func popItems(_ count: Int, _ offset: Int) throws -> [(value: PickleValue, depth: Int)] {
        var items: [(value: PickleValue, depth: Int)] = []
        for _ in 0..<count {
            guard case .value(let value, let depth)? = stack.popLast() else {
                throw Malformed(message: "stack underflow or misplaced MARK", offset: offset)
            }
            items.append((value, depth))
        }
        return items.reversed()
    }

    mutating func popToMark(_ offset: Int) throws -> [(value: PickleValue, depth: Int)] {
        guard let markIndex = stack.lastIndex(where: { if case .mark = $0 { return true }; return false }) else {
            throw Malformed(message: "no MARK on the stack", offset: offset)
        }
        let items = stack[(markIndex + 1)...].map { item -> (value: PickleValue, depth: Int) in
            if case .value(let value, let depth) = item { return (value, depth) }
            return (.none, 0)
        }
        stack.removeSubrange(markIndex...)
        return items
    }

    /// Charges copying `count` elements (lists and dicts are values, copied on write).
    mutating func charge(_ count: Int, _ offset: Int) throws {
        guard count <= Self.maxWork - work else {
            throw Refusal(message: "it grows lists and dicts past \(Self.maxWork) copied elements (at byte \(offset))")
        }
        work += count
    }

    mutating func append(_ items: [(value: PickleValue, depth: Int)], _ offset: Int) throws {
        let list = try popItems(1, offset)[0]
        guard case .list(let existing) = list.value else {
            throw Malformed(message: "APPEND to \(list.value.kind)", offset: offset)
        }
        try charge(existing.count + items.count, offset)
        let depth = max(list.depth, 1 + (items.map(\.depth).max() ?? 0))
        try push(.list(existing + items.map(\.value)), depth: depth)
    }

    mutating func setItems(_ items: [(value: PickleValue, depth: Int)], _ offset: Int) throws {
        let dict = try popItems(1, offset)[0]
        guard case .dict(let existing) = dict.value else {
            throw Malformed(message: "SETITEM on \(dict.value.kind)", offset: offset)
        }
        let entries = try pairs(items.map(\.value), offset)
        try charge(existing.count + entries.count, offset)
        let depth = max(dict.depth, 1 + (items.map(\.depth).max() ?? 0))
        try push(.dict(existing + entries), depth: depth)
    }

    func pairs(_ items: [PickleValue], _ offset: Int) throws -> [PickleValue.DictEntry] {
        guard items.count % 2 == 0 else { throw Malformed(message: "odd number of dict items", offset: offset) }
        return stride(from: 0, to: items.count, by: 2).map { .init(key: items[$0], value: items[$0 + 1]) }
    }

    mutating func memoize(_ index: Int, _ offset: Int) throws {
        guard case .value(let value, let depth)? = stack.last else {
            throw Malformed(message: "PUT with an empty stack", offset: offset)
        }
        guard memo.count < Self.maxMemo || memo[index] != nil else { throw Refusal(message: "too many memo entries") }
        memo[index] = (value, depth)
    }

    mutating func recall(_ index: Int, _ offset: Int) throws {
        guard let entry = memo[index] else { throw Malformed(message: "GET of unknown memo \(index)", offset: offset) }
        try push(entry.value, depth: entry.depth)
    }
}
