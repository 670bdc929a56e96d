import ConveyorCore

/// CAST and the implicit casts the checker inserts, as Spark's `Cast`: in
/// ANSI mode a string that is not a number and a value out of the target's
/// range are row errors; in legacy mode they give null (strings) or Java's
/// narrowing (numbers: doubles saturate, NaN is 0, bigints wrap).
extension SQLEvaluator {
    func cast(_ v: SQLVector, from: SQLType, to: SQLType, node: SQLNode, active: [Bool]?) throws -> SQLVector {
        if from == to || from == .null { return from == .null ? .nulls(to, count: rowCount) : v }
        var nulls = v.nulls
        func invalid(_ row: Int, _ errorClass: String, _ what: String) throws {
            if ansi && isActive(active, row) { throw failure(errorClass, what, row: row, node: node) }
            nulls[row] = true
        }
        switch (v.values, to) {
        case (.int(let a), .int):
            var out = a
            for row in 0..<rowCount where !nulls[row] && Int32(exactly: a[row]) == nil {
                if ansi && isActive(active, row) {
                    throw failure("CAST_OVERFLOW", "the value \(a[row]) of type bigint cannot be cast to int", row: row, node: node)
                }
                out[row] = Int64(Int32(truncatingIfNeeded: a[row]))
            }
            return SQLVector(values: .int(out), nulls: nulls)
        case (.int(let a), .long): return SQLVector(values: .int(a), nulls: nulls)
        case (.int(let a), .double): return SQLVector(values: .double(a.map { Double($0) }), nulls: nulls)
        case (.int(let a), .boolean): return SQLVector(values: .bool(a.map { $0 != 0 }), nulls: nulls)
        case (.int(let a), .string): return SQLVector(values: .string(a.map { String($0) }), nulls: nulls)
        case (.double(let a), .int), (.double(let a), .long):
            let (low, high): (Double, Double) = to == .int ? (-2147483648.0, 2147483648.0) : (-9223372036854775808.0, 9223372036854775808.0)
            var out = [Int64](repeating: 0, count: rowCount)
            for row in 0..<rowCount where !nulls[row] {
                let x = a[row]
                let t = x.rounded(.towardZero)
                if t >= low && t < high {
                    out[row] = Int64(t)
                    continue
                }
                if ansi && isActive(active, row) {
                    throw failure("CAST_OVERFLOW", "the value \(SparkStrings.double(x)) of type double cannot be cast to \(to)",
                                  row: row, node: node)
                }
                // Java's (int)/(long) of a double: NaN is 0, out of range saturates.
                out[row] = x.isNaN ? 0 : (x > 0 ? (to == .int ? Int64(Int32.max) : .max) : (to == .int ? Int64(Int32.min) : .min))
            }
            return SQLVector(values: .int(out), nulls: nulls)
        case (.double(let a), .boolean): return SQLVector(values: .bool(a.map { $0 != 0 }), nulls: nulls)
        case (.double(let a), .string): return SQLVector(values: .string(a.map(SparkStrings.double)), nulls: nulls)
        case (.bool(let a), .int), (.bool(let a), .long): return SQLVector(values: .int(a.map { $0 ? 1 : 0 }), nulls: nulls)
        case (.bool(let a), .double): return SQLVector(values: .double(a.map { $0 ? 1 : 0 }), nulls: nulls)
        case (.bool(let a), .string): return SQLVector(values: .string(a.map { $0 ? "true" : "false" }), nulls: nulls)
        case (.string(let a), .int), (.string(let a), .long):
            var out = [Int64](repeating: 0, count: rowCount)
            for row in 0..<rowCount where !nulls[row] {
                if let value = SQLEvaluator.parseIntegral(a[row], fraction: !ansi), to == .long || Int32(exactly: value) != nil {
                    out[row] = value
                } else {
                    try invalid(row, "CAST_INVALID_INPUT", "the string '\(a[row].prefix(40))' cannot be cast to \(to)")
                }
            }
            return SQLVector(values: .int(out), nulls: nulls)
        case (.string(let a), .double):
            var out = [Double](repeating: .nan, count: rowCount)
            for row in 0..<rowCount where !nulls[row] {
                if let value = SQLEvaluator.parseDouble(a[row]) { out[row] = value } else {
                    try invalid(row, "CAST_INVALID_INPUT", "the string '\(a[row].prefix(40))' cannot be cast to double")
                }
            }
            return SQLVector(values: .double(out), nulls: nulls)
        case (.string(let a), .boolean):
            var out = [Bool](repeating: false, count: rowCount)
            for row in 0..<rowCount where !nulls[row] {
                switch SQLEvaluator.trimmed(a[row]).lowercased() {
                case "t", "true", "y", "yes", "1": out[row] = true
                case "f", "false", "n", "no", "0": out[row] = false
                default: try invalid(row, "CAST_INVALID_INPUT", "the string '\(a[row].prefix(40))' cannot be cast to boolean")
                }
            }
            return SQLVector(values: .bool(out), nulls: nulls)
        default:
            return v
        }
    }

    /// Spark trims whitespace and control characters (≤ U+0020) around a string it casts.
    static func trimmed(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
              let last = scalars.lastIndex(where: { $0.value > 0x20 }) else { return "" }
        return Substring(scalars[first...last])
    }

    /// `UTF8String.toLong`: an optional sign, digits, and (legacy mode only) a fraction that is dropped.
    static func parseIntegral(_ text: String, fraction: Bool) -> Int64? {
        var body = trimmed(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 && !fraction { return nil }
        guard let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
        guard whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if whole.isEmpty { return parts[1].isEmpty ? nil : 0 }
        guard let magnitude = UInt64(whole) else { return nil }
        return negative ? (magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil)
            : Int64(exactly: magnitude)
    }

    /// Java's `Double.parseDouble` after Spark's trim, with Spark's special words (inf, infinity, nan).
    static func parseDouble(_ text: String) -> Double? {
        var body = String(trimmed(text))
        switch body.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        // Java accepts a trailing type letter (1.5d, 2f).
        if let last = body.last, "dDfF".contains(last), body.count > 1 { body.removeLast() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              body.contains(where: { $0.isNumber }) else { return nil }
        return Double(body)
    }
}
