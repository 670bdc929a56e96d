/// Writes a Float as the same bytes as the standard library's
/// `Float.description`, straight into memory: no String, no allocation.
///
/// The digits are the shortest that read back as the same Float; among
/// several shortest ones, the closest to the exact value (ties to an even
/// last digit). They are found with Raffaello Giulietti's Schubfach method
/// ("The Schubfach way to render doubles", 2020): scale the value and the
/// halfway points to its neighbours by a power of ten chosen so that the
/// interval between the halfway points is 1 to 10 units wide; then a
/// shortest candidate is either the one multiple of ten inside it or one of
/// the two integers around the value.
///
/// The text follows Swift's rules:
/// - exponential form (`1e-05`, `1.6777218e+07`) below 10^-4 and above
///   2^24 (the last of the consecutive integers a Float holds; 2^24 itself
///   is `16777216.0`), with a two-digit signed exponent and no `.` when
///   there is one digit;
/// - otherwise decimal form, always with a `.`: `0.0001`, `123.25`, `100.0`;
/// - `0.0`, `-0.0`, `inf`, `-inf`.
enum ShortestFloat {
    /// The room `write` needs at `buffer`: it stores 8 digits at a time, so
    /// it may scribble past the text, which is at most 15 bytes
    /// (`-1.00000075e-36`, `-0.000100000005`: a Float needs at most 9
    /// significant digits).
    static let bufferCapacity = 24

    /// Writes `value` at `buffer`, which must have room for `bufferCapacity`
    /// bytes, and returns the length of the text. Every NaN is written as
    /// `nan`, as `description` does (`debugDescription` writes `-nan`,
    /// `snan(0x1)`, `-nan(0x1234)`).
    static func write(_ value: Float, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        let (sign, complete) = writeSignOrSpecial(value, into: buffer)
        if complete { return sign }
        let bits = value.bitPattern
        let exponentField = Int(truncatingIfNeeded: bits >> 23) & 0xFF
        let fraction = bits & 0x7F_FFFF
        let (digits, exponent) = shortestDecimal(exponentField: exponentField, fraction: fraction)
        // Above 2^24, integers are no longer consecutive: Swift switches to
        // exponential form there even for integral values.
        let exponential = bits & 0x7FFF_FFFF > 0x4B80_0000
        return sign + format(digits: digits, exponent: exponent, forceExponential: exponential, into: buffer + sign)
    }

    /// The sign, and the whole text of the values with no digits to find:
    /// `nan` (never signed), `inf`, `0.0`. Returns the bytes written and
    /// whether that is the whole text. Shared with `ShortestDouble`.
    @inline(__always)
    static func writeSignOrSpecial<Value: BinaryFloatingPoint>(
        _ value: Value, into buffer: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, complete: Bool) {
        if value.isNaN { return (copy("nan", to: buffer), true) }
        var sign = 0
        if value.sign == .minus {
            buffer[0] = UInt8(ascii: "-")
            sign = 1
        }
        if value.isInfinite { return (sign + copy("inf", to: buffer + sign), true) }
        if value.isZero { return (sign + copy("0.0", to: buffer + sign), true) }
        return (sign, false)
    }

    // MARK: Digits

    /// The shortest (then closest) `digits × 10^exponent` that reads back as
    /// the positive finite nonzero Float with these bit fields. `digits` is
    /// below 10^9 and may end in zeros, which are not significant.
    private static func shortestDecimal(exponentField: Int, fraction: UInt32) -> (digits: UInt64, exponent: Int) {
        // The value is c × 2^q.
        let c = exponentField == 0 ? UInt64(fraction) : UInt64(fraction) | 1 << 23
        let q = exponentField == 0 ? -149 : exponentField - 150
        // The value and the halfway points to its neighbours, in units of
        // 2^(q-2). Below a power of two the neighbour is half as far away
        // (except for the smallest normal, whose neighbour below is the
        // largest subnormal at the same spacing).
        let isBoundary = fraction == 0 && exponentField > 1
        let cb = c << 2
        let cbLower = isBoundary ? cb - 1 : cb - 2
        let cbUpper = cb + 2
        // A halfway point reads back as the even neighbour, so the interval
        // includes its ends only when c is even.
        let excluded: UInt64 = c & 1

        // k = ⌊log10(interval width in units of 2^q)⌋, so that the interval is
        // 1 to 10 units of 10^k wide (3/4 of 2^q wide below a power of two).
        // The multipliers are ⌊log10(2)·2^18⌋ and ⌊log10(3/4)·2^18⌋ - 1;
        // both give the exact floor for every q a Float has.
        let k = isBoundary ? (q &* 78913 &- 32753) >> 18 : (q &* 78913) >> 18
        let power = powersOfTen[45 &+ k]
        // Shift so that the product's high word holds the scaled value with 2
        // fraction bits above 32 more bits that only say whether it is exact.
        let shift = q &+ 33 &+ power.log2
        let vb = scaled(cb &<< shift, by: power.significand)
        let vbLower = scaled(cbLower &<< shift, by: power.significand)
        let vbUpper = scaled(cbUpper &<< shift, by: power.significand)

        return (shortestDigits(value: vb, lower: vbLower, upper: vbUpper, excluded: excluded), k)
    }

    /// Schubfach's last step, shared with `ShortestDouble`: given the value
    /// and the halfway points to its neighbours scaled to units of 10^k
    /// with 2 fraction bits (and round-to-odd), the shortest digits that
    /// read back as the value, the closest on a tie of lengths.
    @inline(__always)
    static func shortestDigits(value vb: UInt64, lower vbLower: UInt64, upper vbUpper: UInt64, excluded: UInt64) -> UInt64 {
        // In units of 10^k with 2 fraction bits (`x << 2` is the integer x):
        // the first and last candidates allowed.
        let lowest = vbLower &+ excluded
        let highest = vbUpper &- excluded
        let s = vb >> 2
        // The interval is narrower than 10 units, so it holds at most one
        // multiple of ten; when it does, that one is the shortest. (A
        // candidate below the value can only fall out at the lower end, one
        // above it at the upper end.)
        let below = s / 10 &* 10
        let above = below &+ 10
        let belowInside = lowest <= below << 2
        let aboveInside = above << 2 <= highest
        // Otherwise the closer of the two integers around the value, among
        // those inside (at least one is: the interval is 1 unit wide), the
        // even one on a tie. An odd s must be strictly closer.
        let t = s &+ 1
        let sInside = lowest <= s << 2
        let tInside = t << 2 <= highest
        let sCloser = vb &+ (s & 1) <= s << 2 | 2
        let closest = sInside && (sCloser || !tInside) ? s : t
        // Each choice is a coin toss for random input: selects, not branches.
        let shortest = belowInside ? below : above
        return belowInside || aboveInside ? shortest : closest
    }

    /// `x × 10^-k` from the table's 64-bit over-approximation of 10^-k:
    /// the integer and 2 fraction bits, with the lowest bit set when the
    /// product is not exact ("round to odd"). That keeps comparisons with
    /// multiples of 1/2 exact, as in Schubfach's binary32 variant (64 bits
    /// of 10^-k are enough there; a comparison with `description` over all
    /// 2^32 bit patterns agreed).
    @inline(__always)
    private static func scaled(_ x: UInt64, by significand: UInt64) -> UInt64 {
        let high = significand.multipliedFullWidth(by: x).high
        return high >> 32 | (high & 0xFFFF_FFFF == 0 ? 0 : 1)
    }

    // MARK: Powers of ten

    /// 10^-k for k in -45...31 as `significand × 2^(log2 - 63)`, the
    /// significand in [2^63, 2^64) rounded down and plus one (so always above
    /// the exact value), at index k + 45. Computed once, exactly, from powers
    /// of five in 192-bit integers.
    private static let powersOfTen: [(significand: UInt64, log2: Int)] = (-45...31).map { k in
        let n = k.magnitude
        if k <= 0 {
            // 10^n = 5^n × 2^n: the top 64 bits of 5^n.
            var five = Wide(1)
            for _ in 0..<n { five.multiply(by: 5) }
            let (top, bitLength) = five.top64()
            return (top &+ 1, Int(n) + bitLength - 1)
        } else {
            // 10^-n = 2^-n / 5^n: ⌊2^(63 + L) / 5^n⌋ with L the bit length
            // of 5^n is in [2^63, 2^64). (Dividing by 5 n times floors the
            // same way as dividing by 5^n.)
            var five = Wide(1)
            for _ in 0..<n { five.multiply(by: 5) }
            let bitLength = five.top64().bitLength
            var quotient = Wide(1)
            quotient.shiftLeft(63 + bitLength)
            for _ in 0..<n { quotient.divide(by: 5) }
            return (quotient.top64().top &+ 1, -Int(n) - bitLength)
        }
    }

    /// A 192-bit unsigned integer, only for building the table.
    private struct Wide {
        var limbs: [UInt64]  // most significant first

        init(_ value: UInt64) { limbs = [0, 0, value] }

        mutating func multiply(by factor: UInt64) {
            var carry: UInt64 = 0
            for index in limbs.indices.reversed() {
                let product = limbs[index].multipliedFullWidth(by: factor)
                let (low, overflow) = product.low.addingReportingOverflow(carry)
                limbs[index] = low
                carry = product.high &+ (overflow ? 1 : 0)
            }
            precondition(carry == 0)
        }

        mutating func divide(by divisor: UInt64) {
            var remainder: UInt64 = 0
            for index in limbs.indices {
                (limbs[index], remainder) = divisor.dividingFullWidth((remainder, limbs[index]))
            }
        }

        mutating func shiftLeft(_ count: Int) {
            for _ in 0..<count { multiply(by: 2) }
        }

        /// The 64 bits from the highest set bit down (rounded down), and the
        /// number's bit length.
        func top64() -> (top: UInt64, bitLength: Int) {
            let first = limbs.firstIndex { $0 != 0 }!
            let zeros = limbs[first].leadingZeroBitCount
            let bitLength = (limbs.count - first) * 64 - zeros
            let next = first + 1 < limbs.count ? limbs[first + 1] : 0
            let top = zeros == 0 ? limbs[first] : limbs[first] << zeros | next >> (64 - zeros)
            return (top, bitLength)
        }
    }

    // MARK: Text

    /// Writes `digits × 10^exponent` in Swift's decimal or exponential form.
    private static func format(
        digits: UInt64, exponent: Int, forceExponential: Bool, into text: UnsafeMutablePointer<UInt8>
    ) -> Int {
        // All 9 digit places filled (12 → 120000000), so that the text is
        // the same 9 characters whatever the length, zeros after the last
        // significant digit.
        let (aligned, added) = nineDigits(digits)
        let first = aligned / 100_000_000
        let rest = eightDigits(aligned &- first &* 100_000_000)
        // The significant digits end at the last nonzero one: `rest` holds
        // the last digit in its highest byte.
        let count = 9 &- rest.leadingZeroBitCount / 8
        let restText = rest | 0x3030_3030_3030_3030
        let firstText = UInt8(truncatingIfNeeded: first) &+ UInt8(ascii: "0")
        // The power of ten of the first digit.
        let scientific = exponent &+ 8 &- added
        let raw = UnsafeMutableRawPointer(text)

        if scientific < -4 || forceExponential {
            // "1.6777218e+07"; "1e-05" without the point.
            text[0] = firstText
            text[1] = UInt8(ascii: ".")
            raw.storeBytes(of: restText.littleEndian, toByteOffset: 2, as: UInt64.self)
            let end = count == 1 ? 1 : count &+ 1
            text[end] = UInt8(ascii: "e")
            text[end &+ 1] = scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            // |exponent| ≤ 45 for a Float: always two digits.
            let magnitude = UInt8(truncatingIfNeeded: scientific.magnitude)
            text[end &+ 2] = magnitude / 10 &+ UInt8(ascii: "0")
            text[end &+ 3] = magnitude % 10 &+ UInt8(ascii: "0")
            return end &+ 4
        }
        if scientific < 0 {
            // "0.00123": "0.000" then the digits over the zeros not needed.
            copy("0.000", to: text)
            let start = 1 &- scientific
            text[start] = firstText
            raw.storeBytes(of: restText.littleEndian, toByteOffset: start &+ 1, as: UInt64.self)
            return start &+ count
        }
        text[0] = firstText
        raw.storeBytes(of: restText.littleEndian, toByteOffset: 1, as: UInt64.self)
        let integerDigits = scientific &+ 1
        if integerDigits < count {
            // "123.25": the digits after the point stored again one place
            // to the right.
            let fraction = restText >> (8 &* (integerDigits &- 1))
            raw.storeBytes(of: fraction.littleEndian, toByteOffset: integerDigits &+ 1, as: UInt64.self)
            text[integerDigits] = UInt8(ascii: ".")
            return count &+ 1
        }
        // "1200.0": the zeros are already there (a Float below 2^24 has at
        // most 8 integer digits).
        text[integerDigits] = UInt8(ascii: ".")
        text[integerDigits &+ 1] = UInt8(ascii: "0")
        return integerDigits &+ 2
    }

    /// `digits` (below 10^9) times the power of ten that gives it 9 digits,
    /// and that power.
    @inline(__always)
    private static func nineDigits(_ digits: UInt64) -> (aligned: UInt64, added: Int) {
        // Add 8, 4, 2 and 1 zeros where needed, with selects rather than
        // a loop whose length varies.
        var aligned = digits
        var added = 0
        let eight = aligned < 10
        aligned = eight ? aligned &* 100_000_000 : aligned
        added &+= eight ? 8 : 0
        let four = aligned < 100_000
        aligned = four ? aligned &* 10_000 : aligned
        added &+= four ? 4 : 0
        let two = aligned < 10_000_000
        aligned = two ? aligned &* 100 : aligned
        added &+= two ? 2 : 0
        let one = aligned < 100_000_000
        aligned = one ? aligned &* 10 : aligned
        added &+= one ? 1 : 0
        return (aligned, added)
    }

    /// The 8 decimal digits of `value` (below 10^8) as the bytes of a
    /// UInt64, first digit in the lowest byte (so in memory order on a
    /// little-endian store). `ShortestDouble` uses it too.
    @inline(__always)
    static func eightDigits(_ value: UInt64) -> UInt64 {
        // Split 8 digits into two lanes of 4, each into two of 2, each into
        // two of 1; every lane divided at once by multiplying with a scaled
        // reciprocal (exact for these ranges: ⌊x·10486/2^20⌋ = ⌊x/100⌋ for
        // x < 10^4, ⌊x·103/2^10⌋ = ⌊x/10⌋ for x < 100).
        let high = value / 10_000
        var lanes = high | (value &- high &* 10_000) << 32
        let hundreds = (lanes &* 10486) >> 20 & 0x0000_007F_0000_007F
        lanes = hundreds | (lanes &- hundreds &* 100) << 16
        let tens = (lanes &* 103) >> 10 & 0x000F_000F_000F_000F
        return tens | (lanes &- tens &* 10) << 8
    }

    @inline(__always) @discardableResult
    static func copy(_ word: StaticString, to text: UnsafeMutablePointer<UInt8>) -> Int {
        text.update(from: word.utf8Start, count: word.utf8CodeUnitCount)
        return word.utf8CodeUnitCount
    }
}
