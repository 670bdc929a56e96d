import ConveyorCore

/// Comparisons with Spark's orderings: NaN equals NaN and is above every
/// other double, −0.0 equals 0.0, strings compare by their UTF-8 bytes,
/// false < true. `<=>` is null-safe equality.
extension SQLEvaluator {
    func compare(_ op: String, _ l: SQLVector, _ r: SQLVector, type: SQLType) -> SQLVector {
        let order: (Int) -> Int
        switch (l.values, r.values) {
        case (.int(let a), .int(let b)): order = { a[$0] < b[$0] ? -1 : (a[$0] == b[$0] ? 0 : 1) }
        case (.double(let a), .double(let b)): order = { SQLEvaluator.order(a[$0], b[$0]) }
        case (.string(let a), .string(let b)): order = { SQLEvaluator.order(a[$0], b[$0]) }
        case (.bool(let a), .bool(let b)): order = { a[$0] == b[$0] ? 0 : (a[$0] ? 1 : -1) }
        default: order = { _ in 0 }
        }
        var values = [Bool](repeating: false, count: rowCount)
        var nulls = [Bool](repeating: false, count: rowCount)
        let code = ["=": 0, "<=>": 0, "<>": 1, "<": 2, "<=": 3, ">": 4][op] ?? 5
        let nullSafe = op == "<=>"
        for row in 0..<rowCount {
            if l.nulls[row] || r.nulls[row] {
                if nullSafe { values[row] = l.nulls[row] && r.nulls[row] } else { nulls[row] = true }
                continue
            }
            let c = order(row)
            switch code {
            case 0: values[row] = c == 0
            case 1: values[row] = c != 0
            case 2: values[row] = c < 0
            case 3: values[row] = c <= 0
            case 4: values[row] = c > 0
            default: values[row] = c >= 0
            }
        }
        return SQLVector(values: .bool(values), nulls: nulls)
    }

    /// Spark's double ordering (NaN last and equal to itself; −0.0 == 0.0).
    static func order(_ a: Double, _ b: Double) -> Int {
        if a.isNaN { return b.isNaN ? 0 : 1 }
        if b.isNaN { return -1 }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// Spark's string ordering: unsigned UTF-8 bytes (Swift's `<` and `==` follow Unicode equivalence).
    static func order(_ a: String, _ b: String) -> Int {
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}
