import ConveyorCore

/// How Spark casts a value to a string, which is what StringIndexer looks up
/// for a non-string input column: doubles as Java's `Double.toString` prints
/// them (`1.0`, `0.001`, `1.0E7`, `1.5E-5`), integers plainly, `true`/`false`.
enum SparkStrings {
    /// Java's `Double.toString`: the shortest digits that round-trip, in
    /// decimal notation for 10⁻³ ≤ |v| < 10⁷ and as `d.dddE±n` otherwise.
    static func double(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0.0" }
        let (numbers, point) = shortestDigits(value.magnitude)
        let digits = numbers.map { Character(String($0)) }
        guard !digits.isEmpty else { return sign + "0.0" }
        let magnitude = value.magnitude
        if magnitude >= 1e-3, magnitude < 1e7 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
            if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0" }
            return sign + String(digits[..<point]) + "." + String(digits[point...])
        }
        let rest = digits.count > 1 ? String(digits[1...]) : "0"
        return sign + "\(digits[0]).\(rest)E\(point - 1)"
    }

    /// The shortest round-trip digits of a positive finite double, as
    /// 0.d1d2… × 10^point (Swift prints the same shortest digits as Java,
    /// as `123.45` or `1.2345e-05`).
    static func shortestDigits(_ value: Double) -> (digits: [Int], point: Int) {
        let text = "\(value)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            mantissa = text[..<e]
            exponent = Int(String(text[text.index(after: e)...].filter { $0 != "+" })) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        var digits = Array(whole + (parts.count > 1 ? parts[1] : "")).compactMap(\.wholeNumberValue)
        var point = whole.count + exponent
        while digits.first == 0 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == 0 { digits.removeLast() }
        return (digits, point)
    }

    /// A scalar column's values as strings (a null's placeholder included).
    static func texts(_ column: Column, stage: String) throws -> TextValues {
        switch column.values {
        case .string(let v): return v
        case .double(let v): return TextValues(v.map(double))
        case .int(let v): return TextValues(v.map { String($0) })
        case .bool(let v): return TextValues(v.map { $0 ? "true" : "false" })
        case .vector, .stringLists:
            throw ConveyorError(.invalidInput, "expected a scalar column, found \(column.type)", stage: stage, column: column.name)
        }
    }
}
