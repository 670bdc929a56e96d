/// Decimal rounding as Spark's `round`/`bround` do it: on the double's
/// shortest decimal digits (Scala's `BigDecimal(d)`), not on its binary
/// value, so `round(2.675, 2)` is 2.68 as in Spark.
enum SQLDecimal {
    static func round(_ x: Double, scale: Int, halfEven: Bool) -> Double {
        guard x.isFinite else { return x }
        if x == 0 { return 0 }
        let (digits, point) = SparkStrings.shortestDigits(x.magnitude)
        // Digits kept: those before position `point + scale` of 0.d1d2d3… × 10^point.
        let (kept, overflow) = point.addingReportingOverflow(scale)
        guard !overflow else { return x }
        if kept >= digits.count { return x }
        if kept < 0 { return 0 }
        var head = Array(digits[..<kept])
        let next = digits[kept]
        let restNonZero = digits[(kept + 1)...].contains { $0 != 0 }
        let lastOdd = (head.last ?? 0) % 2 == 1
        let up = halfEven ? (next > 5 || (next == 5 && (restNonZero || lastOdd))) : next >= 5
        if up {
            var i = head.count - 1
            while i >= 0 {
                if head[i] == 9 { head[i] = 0; i -= 1 } else { head[i] += 1; break }
            }
            if i < 0 { head.insert(1, at: 0) }
        }
        let mantissa = head.isEmpty ? "0" : head.map(String.init).joined()
        let exponent = point - kept
        let text = (x < 0 ? "-" : "") + mantissa + "e" + String(exponent)
        let value = Double(text) ?? x
        return value == 0 ? 0 : value
    }

    /// Rounds an integer to `scale` < 0 decimal places (`round(15, -1)` = 20); nil when it overflows bigint.
    static func round(_ x: Int64, scale: Int, halfEven: Bool) -> Int64? {
        guard scale < 0 else { return x }
        guard -scale <= 18 else { return 0 }
        var unit: Int64 = 1
        for _ in 0..<(-scale) { unit *= 10 }
        let quotient = x / unit
        let remainder = (x % unit).magnitude
        let half = UInt64(unit / 2)
        let up = halfEven ? (remainder > half || (remainder == half && quotient % 2 != 0)) : remainder >= half
        let adjusted = up ? quotient.addingReportingOverflow(x < 0 ? -1 : 1) : (partialValue: quotient, overflow: false)
        guard !adjusted.overflow else { return nil }
        let result = adjusted.partialValue.multipliedReportingOverflow(by: unit)
        return result.overflow ? nil : result.partialValue
    }
}
