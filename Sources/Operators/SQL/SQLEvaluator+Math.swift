import ConveyorCore
import Foundation

/// The math functions with Spark's edge cases: logarithms are null at and
/// below their asymptote, `floor`/`ceil` of a double are bigints (Java's
/// saturating conversion), `round` is HALF_UP and `bround` HALF_EVEN on the
/// double's shortest decimal form (Scala's `BigDecimal(d)`), `greatest` and
/// `least` skip nulls and order NaN above everything.
extension SQLEvaluator {
    func call(_ function: SQLFunction, _ args: [SQLNode], node: SQLNode, active: [Bool]?) throws -> SQLVector {
        let values = try args.map { try evaluate($0, active: active) }
        let n = rowCount
        var nulls = SQLVector.anyNull(values, count: n)
        func doubles(_ f: (Double) -> Double?) -> SQLVector {
            let a = values[0].doubles
            var out = [Double](repeating: .nan, count: n)
            for row in 0..<n where !nulls[row] {
                if let value = f(a[row]) { out[row] = value } else { nulls[row] = true }
            }
            return SQLVector(values: .double(out), nulls: nulls)
        }
        func doubles2(_ f: (Double, Double) -> Double?) -> SQLVector {
            let a = values[0].doubles, b = values[1].doubles
            var out = [Double](repeating: .nan, count: n)
            for row in 0..<n where !nulls[row] {
                if let value = f(a[row], b[row]) { out[row] = value } else { nulls[row] = true }
            }
            return SQLVector(values: .double(out), nulls: nulls)
        }
        switch function {
        case .log, .ln:
            if args.count == 2 { return doubles2 { base, x in base <= 0 || x <= 0 ? nil : Foundation.log(x) / Foundation.log(base) } }
            return doubles { $0 <= 0 ? nil : Foundation.log($0) }
        case .log10: return doubles { $0 <= 0 ? nil : Foundation.log10($0) }
        case .log2: return doubles { $0 <= 0 ? nil : Foundation.log($0) / Foundation.log(2.0) }
        case .log1p: return doubles { $0 <= -1 ? nil : Foundation.log1p($0) }
        case .exp: return doubles { Foundation.exp($0) }
        case .sqrt: return doubles { $0.squareRoot() }
        case .pow: return doubles2 { Foundation.pow($0, $1) }
        case .signum: return doubles { $0.isNaN || $0 == 0 ? $0 : ($0 > 0 ? 1 : -1) }
        case .nanvl:
            let a = values[0].doubles, b = values[1].doubles
            let out = (0..<n).map { a[$0].isNaN ? b[$0] : a[$0] }
            let outNulls = (0..<n).map { values[0].nulls[$0] || (a[$0].isNaN && values[1].nulls[$0]) }
            return SQLVector(values: .double(out), nulls: outNulls)
        case .isnan:
            let a = values[0].doubles
            return SQLVector(values: .bool((0..<n).map { !values[0].nulls[$0] && a[$0].isNaN }), nulls: [Bool](repeating: false, count: n))
        case .abs:
            if node.type == .double { return doubles { Swift.abs($0) } }
            let limit: Int64 = node.type == .int ? Int64(Int32.min) : .min
            var out = values[0].ints
            for row in 0..<n where !nulls[row] && out[row] < 0 {
                if out[row] == limit {
                    if ansi && isActive(active, row) { throw failure("ARITHMETIC_OVERFLOW", "\(node.type) overflow", row: row, node: node) }
                } else {
                    out[row] = -out[row]
                }
            }
            return SQLVector(values: .int(out), nulls: nulls)
        case .floor, .ceil:
            guard args[0].type == .double else { return values[0] }
            let a = values[0].doubles
            var out = [Int64](repeating: 0, count: n)
            for row in 0..<n where !nulls[row] {
                let r = function == .floor ? a[row].rounded(.down) : a[row].rounded(.up)
                if r.isNaN { continue }
                if r >= 9223372036854775808.0 || r < -9223372036854775808.0 {
                    // ANSI refuses a result outside bigint; legacy saturates (Java's (long) of a double, NaN is 0).
                    if ansi && isActive(active, row) { throw failure("ARITHMETIC_OVERFLOW", "bigint overflow", row: row, node: node) }
                    out[row] = r > 0 ? .max : .min
                } else {
                    out[row] = Int64(r)
                }
            }
            return SQLVector(values: .int(out), nulls: nulls)
        case .round, .bround:
            let scale = args.count > 1 ? Int(values[1].ints.first ?? 0) : 0
            return try round(values[0], type: node.type, scale: scale, halfEven: function == .bround, node: node, active: active)
        case .greatest, .least:
            var out = SQLVector.nulls(node.type, count: n)
            for v in values {
                let better = compare(function == .greatest ? ">" : "<", v, out, type: node.type)
                out.take((0..<n).map { !v.nulls[$0] && (out.nulls[$0] || better.bools[$0]) }, from: v)
            }
            return out
        default:
            return try strings(function, values, node: node, active: active)
        }
    }

    func round(_ v: SQLVector, type: SQLType, scale: Int, halfEven: Bool, node: SQLNode, active: [Bool]?) throws -> SQLVector {
        if type == .double {
            return SQLVector(values: .double(v.doubles.map { SQLDecimal.round($0, scale: scale, halfEven: halfEven) }), nulls: v.nulls)
        }
        guard scale < 0 else { return v }
        var out = v.ints
        for row in 0..<rowCount where !v.nulls[row] {
            let rounded = SQLDecimal.round(out[row], scale: scale, halfEven: halfEven)
            if let value = rounded, type == .long || Int32(exactly: value) != nil {
                out[row] = value
            } else if ansi && isActive(active, row) {
                throw failure("ARITHMETIC_OVERFLOW", "\(type) overflow", row: row, node: node)
            } else {
                out[row] = type == .int ? Int64(Int32(truncatingIfNeeded: rounded ?? 0)) : rounded ?? 0
            }
        }
        return SQLVector(values: .int(out), nulls: v.nulls)
    }
}
