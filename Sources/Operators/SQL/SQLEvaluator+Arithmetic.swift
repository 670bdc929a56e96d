import ConveyorCore

/// `+ - * / % div` and unary minus, with Spark's overflow rules: in ANSI
/// mode an int or bigint result out of range and a zero divisor are row
/// errors; in legacy mode integers wrap (Java) and a zero divisor gives null.
extension SQLEvaluator {
    func arithmetic(_ op: String, _ l: SQLVector, _ r: SQLVector, operandType: SQLType, node: SQLNode,
                    active: [Bool]?) throws -> SQLVector {
        var nulls = (0..<rowCount).map { l.nulls[$0] || r.nulls[$0] }
        if operandType == .double {
            let a = l.doubles, b = r.doubles
            var out = [Double](repeating: 0, count: rowCount)
            switch op {
            case "+": for row in 0..<rowCount where !nulls[row] { out[row] = a[row] + b[row] }
            case "-": for row in 0..<rowCount where !nulls[row] { out[row] = a[row] - b[row] }
            case "*": for row in 0..<rowCount where !nulls[row] { out[row] = a[row] * b[row] }
            default:
                // `/` and `%`: a zero divisor is an error (ANSI) or null, for doubles too.
                let divide = op == "/"
                for row in 0..<rowCount where !nulls[row] {
                    if b[row] == 0 {
                        if ansi && isActive(active, row) { throw zeroDivisor(op, row: row, node: node) }
                        nulls[row] = true
                    } else {
                        out[row] = divide ? a[row] / b[row] : a[row].truncatingRemainder(dividingBy: b[row])
                    }
                }
            }
            return SQLVector(values: .double(out), nulls: nulls)
        }
        let a = l.ints, b = r.ints
        let isInt = operandType == .int
        var out = [Int64](repeating: 0, count: rowCount)
        // The operator as a small code, so the row loop does not compare strings.
        let code = ["+": 0, "-": 1, "*": 2][op] ?? 3
        for row in 0..<rowCount where !nulls[row] {
            let x = a[row], y = b[row]
            var result: Int64
            var overflow = false
            switch code {
            case 0: (result, overflow) = x.addingReportingOverflow(y)
            case 1: (result, overflow) = x.subtractingReportingOverflow(y)
            case 2: (result, overflow) = x.multipliedReportingOverflow(by: y)
            default:
                guard y != 0 else {
                    if ansi && isActive(active, row) { throw zeroDivisor(op, row: row, node: node) }
                    nulls[row] = true
                    continue
                }
                if op == "%" {
                    // Java: MIN % -1 is 0 (Swift's % would trap).
                    result = x.remainderReportingOverflow(dividingBy: y).partialValue
                } else {
                    // div on bigints: MIN div -1 overflows.
                    (result, overflow) = x.dividedReportingOverflow(by: y)
                }
            }
            if isInt && !overflow && Int32(exactly: result) == nil { overflow = true }
            if overflow {
                if ansi && isActive(active, row) {
                    throw failure("ARITHMETIC_OVERFLOW", "\(isInt ? "int" : "bigint") overflow", row: row, node: node)
                }
                // Java's wrap-around: the low 32 or 64 bits.
                result = isInt ? Int64(Int32(truncatingIfNeeded: wrapped(op, x, y))) : wrapped(op, x, y)
            }
            out[row] = result
        }
        return SQLVector(values: .int(out), nulls: nulls)
    }

    /// Spark's error for a zero divisor: `%` has its own class.
    func zeroDivisor(_ op: String, row: Int, node: SQLNode) -> ConveyorError {
        op == "%" ? failure("REMAINDER_BY_ZERO", "remainder by zero", row: row, node: node)
            : failure("DIVIDE_BY_ZERO", "division by zero", row: row, node: node)
    }

    /// The two's-complement result Java computes for an overflowing operation.
    func wrapped(_ op: String, _ x: Int64, _ y: Int64) -> Int64 {
        switch op {
        case "+": return x &+ y
        case "-": return x &- y
        case "*": return x &* y
        default: return x == .min && y == -1 ? .min : x / y
        }
    }

    func negate(_ v: SQLVector, node: SQLNode, active: [Bool]?) throws -> SQLVector {
        switch v.values {
        case .double(let d): return SQLVector(values: .double(d.map { -$0 }), nulls: v.nulls)
        case .int(let ints):
            let limit: Int64 = node.type == .int ? Int64(Int32.min) : .min
            var out = ints
            for row in 0..<rowCount where !v.nulls[row] {
                if ints[row] == limit {
                    if ansi && isActive(active, row) {
                        throw failure("ARITHMETIC_OVERFLOW", "\(node.type) overflow", row: row, node: node)
                    }
                    out[row] = limit
                } else {
                    out[row] = -ints[row]
                }
            }
            return SQLVector(values: .int(out), nulls: v.nulls)
        default: return v
        }
    }
}
