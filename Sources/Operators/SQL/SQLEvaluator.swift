import ConveyorCore

/// Runs a checked expression column-wise over a frame. `active` marks the
/// rows whose value is needed: branches of CASE/IF/COALESCE and the right
/// side of AND/OR run on the rows Spark would evaluate them for, so an ANSI
/// error (division by zero, overflow, invalid cast) is raised only where
/// Spark raises it.
struct SQLEvaluator {
    let frame: Frame
    let ansi: Bool
    /// The output column being computed, for row errors.
    let output: String
    /// The types the plan was checked against, by column name.
    let types: [String: SQLType]

    var rowCount: Int { frame.rowCount }

    func evaluate(_ node: SQLNode, active: [Bool]?) throws -> SQLVector {
        switch node.kind {
        case .column(let name):
            guard let column = frame.column(name), let type = types[name] else {
                throw ConveyorError(.invalidInput, "missing column '\(name)' that the SQL statement reads", column: name)
            }
            return SQLVector(column: column, type: type)
        case .literal(let scalar):
            return literal(scalar, type: node.type)
        case .cast(let inner):
            return try cast(try evaluate(inner, active: active), from: inner.type, to: node.type, node: node, active: active)
        case .arithmetic(let op, let left, let right):
            return try arithmetic(op, try evaluate(left, active: active), try evaluate(right, active: active),
                                  operandType: left.type, node: node, active: active)
        case .negate(let inner):
            return try negate(try evaluate(inner, active: active), node: node, active: active)
        case .compare(let op, let left, let right):
            return compare(op, try evaluate(left, active: active), try evaluate(right, active: active), type: left.type)
        case .and(let left, let right):
            let l = try evaluate(left, active: active)
            let lb = l.bools
            // Spark skips the right side where the left is false.
            let r = try evaluate(right, active: mask(active) { l.nulls[$0] || lb[$0] })
            return logic(l, r, and: true)
        case .or(let left, let right):
            let l = try evaluate(left, active: active)
            let lb = l.bools
            // …and the right side of OR where the left is true.
            let r = try evaluate(right, active: mask(active) { l.nulls[$0] || !lb[$0] })
            return logic(l, r, and: false)
        case .not(let inner):
            let v = try evaluate(inner, active: active)
            return SQLVector(values: .bool(v.bools.map { !$0 }), nulls: v.nulls)
        case .isNull(let inner, let negated):
            let v = try evaluate(inner, active: active)
            return SQLVector(values: .bool(v.nulls.map { $0 != negated }), nulls: [Bool](repeating: false, count: rowCount))
        case .coalesce(let items):
            var out = SQLVector.nulls(node.type, count: rowCount)
            var pending = active ?? [Bool](repeating: true, count: rowCount)
            for item in items {
                guard pending.contains(true) else { break }
                let v = try evaluate(item, active: pending)
                let taken = (0..<rowCount).map { pending[$0] && !v.nulls[$0] }
                out.take(taken, from: v)
                for row in 0..<rowCount where taken[row] { pending[row] = false }
            }
            return out
        case .caseWhen(let branches, let otherwise):
            var out = SQLVector.nulls(node.type, count: rowCount)
            var pending = active ?? [Bool](repeating: true, count: rowCount)
            for (condition, value) in branches {
                guard pending.contains(true) else { break }
                let c = try evaluate(condition, active: pending)
                let cb = c.bools
                let chosen = (0..<rowCount).map { pending[$0] && !c.nulls[$0] && cb[$0] }
                guard chosen.contains(true) else { continue }
                out.take(chosen, from: try evaluate(value, active: chosen))
                for row in 0..<rowCount where chosen[row] { pending[row] = false }
            }
            if let otherwise, pending.contains(true) {
                out.take(pending, from: try evaluate(otherwise, active: pending))
            }
            return out
        case .inList(let value, let items):
            return try inList(value, items, active: active)
        case .like(let value, let pattern):
            let v = try evaluate(value, active: active)
            let texts = v.strings
            return SQLVector(values: .bool((0..<rowCount).map { v.nulls[$0] ? false : pattern.matches(texts[$0]) }), nulls: v.nulls)
        case .call(let function, let args):
            return try call(function, args, node: node, active: active)
        }
    }

    /// The active rows further restricted by `keep`.
    func mask(_ active: [Bool]?, _ keep: (Int) -> Bool) -> [Bool] {
        (0..<rowCount).map { (active?[$0] ?? true) && keep($0) }
    }

    func isActive(_ active: [Bool]?, _ row: Int) -> Bool { active?[row] ?? true }

    /// A row error in ANSI mode (named after Spark's error class), for an active row.
    func failure(_ errorClass: String, _ message: String, row: Int, node: SQLNode) -> ConveyorError {
        SQLError.row(errorClass, message, row: frame.inputRow(row), column: output, expression: node.text)
    }

    func literal(_ scalar: SQLScalar, type: SQLType) -> SQLVector {
        let n = rowCount
        let notNull = [Bool](repeating: false, count: n)
        switch scalar {
        case .null: return .nulls(type, count: n)
        case .bool(let v): return SQLVector(values: .bool(.init(repeating: v, count: n)), nulls: notNull)
        case .int(let v): return SQLVector(values: .int(.init(repeating: v, count: n)), nulls: notNull)
        case .double(let v): return SQLVector(values: .double(.init(repeating: v, count: n)), nulls: notNull)
        case .string(let v): return SQLVector(values: .string(.init(repeating: v, count: n)), nulls: notNull)
        }
    }

    /// Three-valued AND / OR.
    func logic(_ l: SQLVector, _ r: SQLVector, and: Bool) -> SQLVector {
        let lb = l.bools, rb = r.bools
        var values = [Bool](repeating: false, count: rowCount)
        var nulls = [Bool](repeating: false, count: rowCount)
        for row in 0..<rowCount {
            let a: Bool? = l.nulls[row] ? nil : lb[row]
            let b: Bool? = r.nulls[row] ? nil : rb[row]
            let result: Bool?
            if and {
                result = a == false || b == false ? false : (a == nil || b == nil ? nil : true)
            } else {
                result = a == true || b == true ? true : (a == nil || b == nil ? nil : false)
            }
            values[row] = result ?? false
            nulls[row] = result == nil
        }
        return SQLVector(values: .bool(values), nulls: nulls)
    }

    func inList(_ value: SQLNode, _ items: [SQLNode], active: [Bool]?) throws -> SQLVector {
        let v = try evaluate(value, active: active)
        var found = [Bool](repeating: false, count: rowCount)
        var sawNull = v.nulls
        for item in items {
            let c = compare("=", v, try evaluate(item, active: active), type: value.type)
            for row in 0..<rowCount {
                if c.nulls[row] { sawNull[row] = true } else if c.bools[row] { found[row] = true }
            }
        }
        // x IN (…) is true when found, else null when x or an item was null, else false.
        return SQLVector(values: .bool(found), nulls: (0..<rowCount).map { !found[$0] && sawNull[$0] || v.nulls[$0] })
    }
}

extension SQLVector {
    /// Copies the rows flagged in `rows` from `other` (of the same type) into this vector.
    mutating func take(_ rows: [Bool], from other: SQLVector) {
        func merge<T>(_ a: inout [T], _ b: [T]) { for row in rows.indices where rows[row] { a[row] = b[row] } }
        for row in rows.indices where rows[row] { nulls[row] = other.nulls[row] }
        switch (values, other.values) {
        case (.bool(var a), .bool(let b)): values = .bool([]); merge(&a, b); values = .bool(a)
        case (.int(var a), .int(let b)): values = .int([]); merge(&a, b); values = .int(a)
        case (.double(var a), .double(let b)): values = .double([]); merge(&a, b); values = .double(a)
        case (.string(var a), .string(let b)): values = .string([]); merge(&a, b); values = .string(a)
        case (.lists(var a), .lists(let b)): values = .lists([]); merge(&a, b); values = .lists(a)
        default: for row in rows.indices where rows[row] { nulls[row] = true }
        }
    }
}
