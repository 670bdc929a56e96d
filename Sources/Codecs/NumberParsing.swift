/// Number and boolean parsing straight from bytes, without a String per
/// field. Accepts what Python's `float()` accepts for plain decimals (the
/// XGBoost container's reading): surrounding spaces/tabs, a sign, `1.`,
/// `.5`, exponents, and `nan`/`inf`/`infinity` in any case.
enum NumberParsing {
    /// Powers of ten that are exact in a Double (10^22 is the last).
    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Parses a decimal number, correctly rounded. When the digits fit a
    /// Double exactly (≤ 2^53) and |exponent| ≤ 22 it takes Clinger's
    /// exact fast path; otherwise the standard library's strtod-based parser.
    static func parseDouble(_ raw: UnsafeRawBufferPointer) -> Double? {
        let bytes = trimmed(raw)
        let end = bytes.count
        var i = 0
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return nil }
        if bytes[i] | 0x20 >= UInt8(ascii: "a") && bytes[i] | 0x20 <= UInt8(ascii: "z") {
            guard let special = parseSpecial(UnsafeRawBufferPointer(rebasing: bytes[i...])) else {
                return nil
            }
            return negative ? -special : special
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var inexact = false
        var sawDigit = false
        while i < end, let d = digit(bytes[i]) {
            sawDigit = true
            if mantissa == 0 && d == 0 {
                // leading zero: no significance
            } else if digits < 19 {
                mantissa = mantissa &* 10 &+ d
                digits += 1
            } else {
                exponent += 1
                if d != 0 { inexact = true }
            }
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let d = digit(bytes[i]) {
                sawDigit = true
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ d
                    digits += 1
                    exponent -= 1
                } else if d != 0 {
                    inexact = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, digit(bytes[i]) != nil else { return nil }
            var value = 0
            while i < end, let d = digit(bytes[i]) {
                if value < 100_000 { value = value * 10 + Int(d) }
                i += 1
            }
            exponent += exponentNegative ? -value : value
        }
        guard i == end else { return nil }
        let magnitude: Double
        if mantissa == 0 {
            magnitude = 0
        } else if !inexact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Both operands are exact, so one IEEE operation rounds correctly.
            let m = Double(mantissa)
            magnitude = exponent < 0 ? m / exactPowers[-exponent] : m * exactPowers[exponent]
        } else {
            // Syntax is already checked; the stdlib parser is correctly rounded.
            guard let parsed = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
            return parsed
        }
        return negative ? -magnitude : magnitude
    }

    /// `nan`, `inf` or `infinity`, any case, without a sign.
    private static func parseSpecial(_ bytes: UnsafeRawBufferPointer) -> Double? {
        func matches(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
            return true
        }
        if matches("nan") { return .nan }
        if matches("inf") || matches("infinity") { return .infinity }
        return nil
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> UInt64? {
        let d = byte &- UInt8(ascii: "0")
        return d < 10 ? UInt64(d) : nil
    }

    /// Parses an integer; an integral decimal such as `3.0` or `1e3` is
    /// accepted too, since upstream stages often print integers as doubles.
    static func parseInt(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let bytes = trimmed(raw)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < bytes.count else { return nil }
        var value: Int64 = 0
        var overflow = false
        while i < bytes.count, let d = digit(bytes[i]) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative
                ? times.subtractingReportingOverflow(Int64(d))
                : times.addingReportingOverflow(Int64(d))
            overflow = overflow || o1 || o2
            value = next
            i += 1
        }
        if i == bytes.count { return overflow ? nil : value }
        // Range first: Int64(_:) traps outside it. No `rounded()`: it needs libm.
        guard let double = parseDouble(bytes),
              double >= -9.223372036854775808e18, double < 9.223372036854775808e18,
              Double(Int64(double)) == double
        else { return nil }
        return Int64(double)
    }

    /// `true`/`false` in any case, or `1`/`0`.
    static func parseBool(_ raw: UnsafeRawBufferPointer) -> Bool? {
        let bytes = trimmed(raw)
        if bytes.count == 1 {
            if bytes[0] == UInt8(ascii: "1") { return true }
            if bytes[0] == UInt8(ascii: "0") { return false }
            return nil
        }
        let word: [UInt8] = bytes.map { $0 | 0x20 }
        if word == Array("true".utf8) { return true }
        if word == Array("false".utf8) { return false }
        return nil
    }
}
