/// Writes a Double as the same bytes as the standard library's
/// `Double.description`, straight into memory: no String, no allocation.
///
/// The digits are the shortest that read back as the same Double; among
/// several shortest ones, the closest to the exact value (ties to an even
/// last digit, as in `1125899906842624.2` for 2^50 + 0.25). They are found
/// with Schubfach, as in `ShortestFloat`, here with 128-bit powers of ten.
///
/// The text follows Swift's rules for Double:
/// - exponential form below 10^-4 and above 2^53 (the last of the
///   consecutive integers a Double holds; 2^53 itself is
///   `9007199254740992.0`), with an exponent of at least two digits and no
///   `.` when there is one digit: `1e-05`, `1e+16`, `1e-300`, `5e-324`,
///   `9.007199254740994e+15`;
/// - otherwise decimal form, always with a `.`: `0.0001`, `0.1`,
///   `123.456`, `1e15` as `1000000000000000.0`;
/// - `0.0`, `-0.0`, `inf`, `-inf`.
enum ShortestDouble {
    /// The room `write` needs at `buffer`: it stores 8 digits at a time, so
    /// it may scribble past the text, which is at most 24 bytes
    /// (`-1.2345678901234567e-308`: a Double needs at most 17 significant
    /// digits); the last store ends at byte 25 (`-1234567890123456.7`).
    static let bufferCapacity = 32

    /// Writes `value` at `buffer`, which must have room for `bufferCapacity`
    /// bytes, and returns the length of the text. Every NaN is written as
    /// `nan`, as `description` does (`debugDescription` writes `-nan`,
    /// `snan(0x1)`, `-nan(0x1234)`).
    static func write(_ value: Double, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        let (sign, complete) = ShortestFloat.writeSignOrSpecial(value, into: buffer)
        if complete { return sign }
        let bits = value.bitPattern
        let exponentField = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        let fraction = bits & 0xF_FFFF_FFFF_FFFF
        let (digits, exponent) = shortestDecimal(exponentField: exponentField, fraction: fraction)
        // Above 2^53 (0x4340…), integers are no longer consecutive: Swift
        // switches to exponential form there even for integral values.
        let exponential = bits & 0x7FFF_FFFF_FFFF_FFFF > 0x4340_0000_0000_0000
        return sign + format(digits: digits, exponent: exponent, forceExponential: exponential, into: buffer + sign)
    }

    // MARK: Digits

    /// The shortest (then closest) `digits × 10^exponent` that reads back as
    /// the positive finite nonzero Double with these bit fields. `digits` is
    /// below 10^17 and may end in zeros, which are not significant.
    private static func shortestDecimal(exponentField: Int, fraction: UInt64) -> (digits: UInt64, exponent: Int) {
        // The value is c × 2^q. The rest is ShortestFloat.shortestDecimal
        // with wider numbers; see there.
        let c = exponentField == 0 ? fraction : fraction | 1 << 52
        let q = exponentField == 0 ? -1074 : exponentField &- 1075
        let isBoundary = fraction == 0 && exponentField > 1
        let cb = c << 2
        let cbLower = isBoundary ? cb &- 1 : cb &- 2
        let cbUpper = cb &+ 2
        let excluded: UInt64 = c & 1

        // k = ⌊log10(2^q)⌋ or ⌊log10(3/4 · 2^q)⌋ with the multipliers
        // ⌊log10(2)·2^22⌋ and ⌊log10(3/4)·2^22⌋, exact for every q a Double
        // has (checked with exact arithmetic; the 2^18 ones ShortestFloat
        // uses are not: they miss at q = -850 and 801).
        let k = isBoundary ? (q &* 1_262_611 &- 524_032) >> 22 : (q &* 1_262_611) >> 22
        let power = powersOfTen[324 &+ k]
        // Shift so that the products' top word is the scaled value with 2
        // fraction bits. The shift is 1 to 4, so cb << shift < 2^60.
        let shift = q &+ power.log2 &+ 1
        let vb = scaled(cb &<< shift, by: power)
        let vbLower = scaled(cbLower &<< shift, by: power)
        let vbUpper = scaled(cbUpper &<< shift, by: power)

        return (ShortestFloat.shortestDigits(value: vb, lower: vbLower, upper: vbUpper, excluded: excluded), k)
    }

    /// `x × 10^-k` (x < 2^60) from the table's 128-bit over-approximation
    /// of 10^-k: the top word of the 192-bit product, the integer and 2
    /// fraction bits, with the lowest bit set when the product is not exact
    /// ("round to odd").
    ///
    /// The approximation adds more than 0 and at most x to the product. So
    /// an exact value leaves at most x in the low 128 bits, and that is how
    /// "exact" is told: an inexact one is, for every q and all x, at least
    /// 2^-68 away from an integer, so it leaves more than 2^60 > x there,
    /// and does not carry into the top word. (Checked once with exact
    /// arithmetic and Euclid's algorithm for every q and both k, over every
    /// cb up to 2^55 + 2: the closest are 2^-65.4 above and 2^-63.4 below
    /// an integer, closer than the 2^-64 that testing only the middle word,
    /// as the binary32 version does, would need.)
    @inline(__always)
    private static func scaled(_ x: UInt64, by power: Power) -> UInt64 {
        let low = power.low.multipliedFullWidth(by: x)
        let high = power.high.multipliedFullWidth(by: x)
        let (middle, carry) = high.low.addingReportingOverflow(low.high)
        let top = high.high &+ (carry ? 1 : 0)
        return top | (middle != 0 || low.low > x ? 1 : 0)
    }

    // MARK: Powers of ten

    /// 10^-k as `(high × 2^64 + low) × 2^(log2 - 127)`, the 128-bit
    /// significand in [2^127, 2^128) rounded down and plus one.
    private struct Power {
        var high: UInt64
        var low: UInt64
        var log2: Int

        /// From the top 128 bits of a power of ten, rounded down.
        init(plusOne top: (high: UInt64, low: UInt64), log2: Int) {
            let (low, carry) = top.low.addingReportingOverflow(1)
            (high, self.low, self.log2) = (top.high + (carry ? 1 : 0), low, log2)
        }
    }

    /// 10^-k for k in -324...292 at index k + 324 (q = -1074 gives -324,
    /// q = 971 gives 292). Computed once, exactly: 10^n = 5^n × 2^n from
    /// powers of five, and 10^-n = 2^-n / 5^n from ⌊2^831 / 5^n⌋, which
    /// divided by 5 is ⌊2^831 / 5^(n+1)⌋ and whose top 128 bits are
    /// ⌊2^(127 + L) / 5^n⌋, L the bit length of 5^n.
    private static let powersOfTen: [Power] = {
        var table = [Power](repeating: Power(plusOne: (0, 0), log2: 0), count: 617)
        var five = Natural(limbs: [1])
        for n in 0...324 {
            let (top, bitLength) = five.top128()
            table[324 - n] = Power(plusOne: top, log2: n + bitLength - 1)
            five.multiply(by: 5)
        }
        // 2^831 (806 bits would do: 127 + the bit length of 5^292).
        var reciprocal = Natural(limbs: Array(repeating: 0, count: 12) + [1 << 63])
        for n in 1...292 {
            reciprocal.divide(by: 5)
            let (top, bitLength) = reciprocal.top128()
            // ⌊2^831 / 5^n⌋ has 831 - L + 1 bits.
            table[324 + n] = Power(plusOne: top, log2: -n - (832 - bitLength))
        }
        return table
    }()

    /// An unsigned integer of any size, only for building the table.
    private struct Natural {
        var limbs: [UInt64]  // least significant first, the last not zero

        mutating func multiply(by factor: UInt64) {
            var carry: UInt64 = 0
            for index in limbs.indices {
                let product = limbs[index].multipliedFullWidth(by: factor)
                let (low, overflow) = product.low.addingReportingOverflow(carry)
                limbs[index] = low
                carry = product.high &+ (overflow ? 1 : 0)
            }
            if carry != 0 { limbs.append(carry) }
        }

        mutating func divide(by divisor: UInt64) {
            var remainder: UInt64 = 0
            for index in limbs.indices.reversed() {
                (limbs[index], remainder) = divisor.dividingFullWidth((remainder, limbs[index]))
            }
            if limbs.last == 0 { limbs.removeLast() }
        }

        /// The 128 bits from the highest set bit down (rounded down; filled
        /// with zeros below a number shorter than that), and the bit length.
        func top128() -> (top: (high: UInt64, low: UInt64), bitLength: Int) {
            let bitLength = limbs.count * 64 - limbs.last!.leadingZeroBitCount
            // Bit i of the top is bit i + bitLength - 128 of the number.
            func word(at bit: Int) -> UInt64 {
                func limb(_ index: Int) -> UInt64 { index >= 0 && index < limbs.count ? limbs[index] : 0 }
                let index = bit >= 0 ? bit / 64 : (bit - 63) / 64
                let offset = bit - index * 64
                return offset == 0 ? limb(index) : limb(index) >> offset | limb(index + 1) << (64 - offset)
            }
            return ((word(at: bitLength - 64), word(at: bitLength - 128)), bitLength)
        }
    }

    // MARK: Text

    /// Writes `digits × 10^exponent` in Swift's decimal or exponential form.
    private static func format(
        digits: UInt64, exponent: Int, forceExponential: Bool, into text: UnsafeMutablePointer<UInt8>
    ) -> Int {
        // All 17 digit places filled, zeros after the last significant digit.
        let (aligned, added) = seventeenDigits(digits)
        // Both divisions from `aligned`, side by side: the text waits on a
        // chain of dependent multiplies, and dividing the remainder of the
        // first (as before) made it two steps longer.
        let first = aligned / 10_000_000_000_000_000
        let top = aligned / 100_000_000
        // Digits 2 to 9 and 10 to 17, each first digit in the lowest byte.
        let middle = ShortestFloat.eightDigits(top &- first &* 100_000_000)
        let last = ShortestFloat.eightDigits(aligned &- top &* 100_000_000)
        // The significant digits end at the last nonzero one.
        let count = last == 0 ? 9 &- middle.leadingZeroBitCount / 8 : 17 &- last.leadingZeroBitCount / 8
        let middleText = middle | 0x3030_3030_3030_3030
        let lastText = last | 0x3030_3030_3030_3030
        let firstText = UInt8(truncatingIfNeeded: first) &+ UInt8(ascii: "0")
        // The power of ten of the first digit.
        let scientific = exponent &+ 16 &- added
        let raw = UnsafeMutableRawPointer(text)

        if scientific < -4 || forceExponential {
            // "9.007199254740994e+15"; "1e-05", "5e-324" without the point.
            text[0] = firstText
            text[1] = UInt8(ascii: ".")
            raw.storeBytes(of: middleText.littleEndian, toByteOffset: 2, as: UInt64.self)
            raw.storeBytes(of: lastText.littleEndian, toByteOffset: 10, as: UInt64.self)
            let end = count == 1 ? 1 : count &+ 1
            text[end] = UInt8(ascii: "e")
            text[end &+ 1] = scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            // At least two digits: e-05, e+16, e-300.
            var magnitude = scientific.magnitude
            var next = end &+ 2
            if magnitude >= 100 {
                text[next] = UInt8(truncatingIfNeeded: magnitude / 100) &+ UInt8(ascii: "0")
                magnitude %= 100
                next &+= 1
            }
            text[next] = UInt8(truncatingIfNeeded: magnitude / 10) &+ UInt8(ascii: "0")
            text[next &+ 1] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
            return next &+ 2
        }
        if scientific < 0 {
            // "0.00123": "0.000000" then the digits over the zeros not needed.
            raw.storeBytes(of: UInt64(0x3030_3030_3030_2E30).littleEndian, as: UInt64.self)
            let start = 1 &- scientific
            text[start] = firstText
            raw.storeBytes(of: middleText.littleEndian, toByteOffset: start &+ 1, as: UInt64.self)
            raw.storeBytes(of: lastText.littleEndian, toByteOffset: start &+ 9, as: UInt64.self)
            return start &+ count
        }
        text[0] = firstText
        raw.storeBytes(of: middleText.littleEndian, toByteOffset: 1, as: UInt64.self)
        let integerDigits = scientific &+ 1
        if integerDigits < count {
            // "123.25": the digits after the point stored again one place to
            // the right, the word holding the point first.
            if integerDigits <= 8 {
                let tail = middleText >> (8 &* (integerDigits &- 1))
                raw.storeBytes(of: tail.littleEndian, toByteOffset: integerDigits &+ 1, as: UInt64.self)
                raw.storeBytes(of: lastText.littleEndian, toByteOffset: 10, as: UInt64.self)
            } else {
                raw.storeBytes(of: lastText.littleEndian, toByteOffset: 9, as: UInt64.self)
                let tail = lastText >> (8 &* (integerDigits &- 9))
                raw.storeBytes(of: tail.littleEndian, toByteOffset: integerDigits &+ 1, as: UInt64.self)
            }
            text[integerDigits] = UInt8(ascii: ".")
            return count &+ 1
        }
        // "1200.0": the zeros are already there (a Double up to 2^53 has at
        // most 16 integer digits).
        raw.storeBytes(of: lastText.littleEndian, toByteOffset: 9, as: UInt64.self)
        text[integerDigits] = UInt8(ascii: ".")
        text[integerDigits &+ 1] = UInt8(ascii: "0")
        return integerDigits &+ 2
    }

    /// `digits` (below 10^17) times the power of ten that gives it 17
    /// digits, and that power.
    @inline(__always)
    private static func seventeenDigits(_ digits: UInt64) -> (aligned: UInt64, added: Int) {
        // A normal Double has 16 or 17: c × 2^q / 10^k ≥ 2^52.
        if digits >= 1_000_000_000_000_000 {
            let one = digits < 10_000_000_000_000_000
            return (one ? digits &* 10 : digits, one ? 1 : 0)
        }
        // Only subnormals have fewer.
        var aligned = digits
        var added = 0
        while aligned < 10_000_000_000_000_000 {
            aligned &*= 10
            added &+= 1
        }
        return (aligned, added)
    }
}
