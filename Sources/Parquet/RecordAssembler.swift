import ConveyorCore

/// Rebuilds nested records from one leaf column's triplets (Dremel record
/// assembly), then merges the leaves of a row into one record. LIST groups
/// (the 3-level `optional group x (LIST) { repeated group list { element } }`
/// layout Spark and pyarrow write) become `.list` values.
struct RecordAssembler {
    let leaf: LeafColumn
    let triplets: ColumnTriplets
    let context: String
    private var valueIndex: [Int] = []

    init(leaf: LeafColumn, triplets: ColumnTriplets, context: String) {
        self.leaf = leaf
        self.triplets = triplets
        self.context = context
        var next = 0
        valueIndex = triplets.definitions.map { def in
            guard def == leaf.maxDefinition else { return -1 }
            defer { next += 1 }
            return next
        }
    }

    private func failure(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "\(context): column '\(leaf.dottedPath)': \(message)")
    }

    /// One value per row: the top-level field this leaf belongs to.
    func rows() throws -> [ParquetValue] {
        guard valueIndex.last.map({ _ in triplets.values.count == valueIndex.filter { $0 >= 0 }.count }) ?? true else {
            throw failure("\(triplets.values.count) values for \(valueIndex.filter { $0 >= 0 }.count) present entries")
        }
        var out: [ParquetValue] = []
        var start = 0
        let reps = triplets.repetitions
        guard !reps.isEmpty else { return [] }
        for index in 1...reps.count where index == reps.count || reps[index] == 0 {
            guard start < index else { continue }
            out.append(try slot(0, start, index))
            start = index
        }
        return out
    }

    /// The value of path node `k` within one instance of its parent, from
    /// the triplets `lo..<hi`.
    private func slot(_ k: Int, _ lo: Int, _ hi: Int) throws -> ParquetValue {
        let node = leaf.path[k]
        let defined = triplets.definitions[lo] >= leaf.definition[k]
        switch node.repetition {
        case .repeated:
            guard defined else {
                guard hi - lo == 1 else { throw failure("an empty list spans \(hi - lo) entries") }
                return .list([])
            }
            var items: [ParquetValue] = []
            var start = lo
            for index in (lo + 1)..<max(hi, lo + 1) where triplets.repetitions[index] <= leaf.repetition[k] {
                items.append(try instance(k, start, index))
                start = index
            }
            items.append(try instance(k, start, hi))
            return .list(items)
        case .optional:
            guard defined else {
                guard hi - lo == 1 else { throw failure("a null spans \(hi - lo) entries") }
                return .null
            }
            return try instance(k, lo, hi)
        case .required:
            guard defined else { throw failure("a required field is undefined") }
            return try instance(k, lo, hi)
        }
    }

    private func instance(_ k: Int, _ lo: Int, _ hi: Int) throws -> ParquetValue {
        if k == leaf.path.count - 1 {
            guard hi - lo == 1, valueIndex[lo] >= 0, valueIndex[lo] < triplets.values.count else {
                throw failure("a leaf value spans \(hi - lo) entries")
            }
            return triplets.values[valueIndex[lo]]
        }
        let child = leaf.path[k + 1]
        let value = try slot(k + 1, lo, hi)
        let node = leaf.path[k]
        // LIST: the group's single repeated child holds the items; a one-field
        // repeated group wraps each element.
        if node.element.isList, node.children.count == 1, child.repetition == .repeated,
           case .list(let items) = value {
            if child.children.count == 1, k + 2 < leaf.path.count {
                let element = leaf.path[k + 2].name
                return .list(try items.map { item in
                    guard let inner = item[element] else { throw failure("a list item lacks '\(element)'") }
                    return inner
                })
            }
            return value
        }
        return .record([child.name: value])
    }

    /// Merges the per-leaf values of one row (same shape by construction).
    static func merge(_ a: ParquetValue, _ b: ParquetValue, context: String) throws -> ParquetValue {
        switch (a, b) {
        case (.record(var x), .record(let y)):
            for (key, value) in y {
                x[key] = try x[key].map { try merge($0, value, context: context) } ?? value
            }
            return .record(x)
        case (.list(let x), .list(let y)):
            guard x.count == y.count else {
                throw ConveyorError(.modelCorrupt, "\(context): sibling columns disagree on a list's length (\(x.count) vs \(y.count))")
            }
            return .list(try zip(x, y).map { try merge($0, $1, context: context) })
        case (.null, .null):
            return .null
        default:
            throw ConveyorError(.modelCorrupt, "\(context): sibling columns disagree on a value's shape")
        }
    }
}
