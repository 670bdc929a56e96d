/// Numbers in a LightGBM model text. Thresholds, leaf values and linear
/// coefficients are read as LightGBM reads them (`AtofPrecise`, `std::stod`:
/// correctly rounded), which Swift's `Double(_:)` also is. Integers are read
/// strictly (LightGBM's `Atoi` takes any prefix of digits; a token that is
/// not an integer is refused here). `atof` repeats LightGBM's own imprecise
/// `Common::Atof`, which it uses for objective parameters such as `sigmoid:`.
enum TextNumbers {
    /// The space-separated tokens of `range` (runs of spaces count as one).
    static func tokens(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for index in range {
            if bytes[index] == 0x20 {
                if index > start { result.append(start..<index) }
                start = index + 1
            }
        }
        if range.upperBound > start { result.append(start..<range.upperBound) }
        return result
    }

    /// An optional sign and decimal digits that fit an Int.
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.endIndex else { return nil }
        var value = 0
        while index < bytes.endIndex {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(negative ? -digit : digit)
            guard !o1, !o2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A correctly rounded double (decimal, `inf`, `nan`, as `strtod` reads them).
    static func double(_ bytes: ArraySlice<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 400 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// LightGBM's `Common::Atof` (utils/common.h), step for step, over the
    /// whole text; nil when it would stop early or fail.
    static func atof(_ text: String) -> Double? {
        let p = Array(text.utf8)
        var index = 0
        func at(_ i: Int) -> UInt8 { i < p.count ? p[i] : 0 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        while at(index) == 0x20 { index += 1 }
        var sign = 1.0
        if at(index) == UInt8(ascii: "-") {
            sign = -1.0
            index += 1
        } else if at(index) == UInt8(ascii: "+") {
            index += 1
        }
        let result: Double
        let c = at(index)
        if isDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            var value = 0.0
            while isDigit(at(index)) {
                value = value * 10.0 + Double(at(index) - 48)
                index += 1
            }
            if at(index) == UInt8(ascii: ".") {
                var right = 0.0
                var digits = 0
                index += 1
                while isDigit(at(index)) {
                    right = Double(at(index) - 48) + right * 10.0
                    digits += 1
                    index += 1
                }
                value += right / pow(10.0, digits)
            }
            var negativeExponent = false
            var scale = 1.0
            if at(index) == UInt8(ascii: "e") || at(index) == UInt8(ascii: "E") {
                index += 1
                if at(index) == UInt8(ascii: "-") {
                    negativeExponent = true
                    index += 1
                } else if at(index) == UInt8(ascii: "+") {
                    index += 1
                }
                var exponent: UInt32 = 0
                while isDigit(at(index)) {
                    exponent = exponent &* 10 &+ UInt32(at(index) - 48)
                    index += 1
                }
                if exponent > 308 { exponent = 308 }
                while exponent >= 50 { scale *= 1e50; exponent -= 50 }
                while exponent >= 8 { scale *= 1e8; exponent -= 8 }
                while exponent > 0 { scale *= 10.0; exponent -= 1 }
            }
            result = sign * (negativeExponent ? value / scale : value * scale)
        } else {
            var end = index
            while end < p.count, ![0x20, 0x09, 0x2C, 0x0A, 0x0D, 0x3A].contains(p[end]) { end += 1 }
            switch String(decoding: p[index..<end], as: UTF8.self).lowercased() {
            case "na", "nan", "null": result = .nan
            case "inf", "infinity": result = sign * 1e308
            default: return nil
            }
            index = end
        }
        while at(index) == 0x20 { index += 1 }
        return index == p.count ? result : nil
    }

    /// LightGBM's `Common::Pow` for an integer power (its own multiplication order).
    static func pow(_ base: Double, _ power: Int) -> Double {
        if power < 0 { return 1.0 / pow(base, -power) }
        if power == 0 { return 1 }
        if power % 2 == 0 { return pow(base * base, power / 2) }
        if power % 3 == 0 { return pow(base * base * base, power / 3) }
        return base * pow(base, power - 1)
    }
}
