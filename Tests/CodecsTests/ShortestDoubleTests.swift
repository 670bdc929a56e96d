@testable import Codecs
import ConveyorTestSupport
import Testing

/// `ShortestDouble` must write exactly the bytes of the standard library's
/// `Double.description` (the expected values here all come from it; it
/// writes every NaN as `nan` too). 3.3 billion values were compared once
/// outside CI (random bit patterns, every fifth Float widened, parsed
/// decimal strings of 1 to 17 digits and their neighbours, the
/// neighbourhoods of every power of two and ten; and 10 million NaNs);
/// these cover the edges and a fixed sample.
@Suite("Shortest Double text")
struct ShortestDoubleTests {
    private let check = ShortestTextCheck<Double>(capacity: ShortestDouble.bufferCapacity, write: ShortestDouble.write,
                                                 bits: { $0.bitPattern })

    private func mismatches<S: Sequence<Double>>(_ values: S) -> [String] { check.mismatches(values) }
    private func written(_ value: Double) -> String { check.written(value) }
    private func withNeighbours(_ values: [Double]) -> [Double] { check.withNeighbours(values) }

    /// The Doubles with bit patterns `center - radius ... center + radius`.
    private func around(_ center: Double, radius: UInt64) -> [Double] {
        (center.bitPattern - radius...center.bitPattern + radius).map(Double.init(bitPattern:))
    }

    @Test func specialValues() {
        #expect(written(0) == "0.0")
        #expect(written(-0.0) == "-0.0")
        #expect(written(.infinity) == "inf")
        #expect(written(-.infinity) == "-inf")
        #expect(written(.nan) == "nan")
        #expect(written(-.nan) == "nan")
        #expect(written(.signalingNaN) == "nan")
        #expect(written(Double(bitPattern: 0xFFF8_0000_0000_1234)) == "nan")
        let edges: [Double] = [
            0, -0.0, .infinity, -.infinity,
            .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
            Double.leastNormalMagnitude.nextDown,  // the largest subnormal
            .ulpOfOne, .pi, 1, 2, 0.5,
        ]
        #expect(mismatches(withNeighbours(edges)) == [])
    }

    @Test func knownTexts() {
        // What Swift prints, to show the format (checked against description
        // below as well).
        let cases: [(Double, String)] = [
            (0.1, "0.1"), (1.0 / 3, "0.3333333333333333"), (100, "100.0"), (123.456, "123.456"), (-2.5, "-2.5"),
            (0.0001, "0.0001"), (Double(0.0001).nextDown, "9.999999999999999e-05"), (1e-5, "1e-05"),
            (Double(0.0001).nextUp, "0.00010000000000000002"),
            (9_007_199_254_740_992, "9007199254740992.0"), (9_007_199_254_740_994, "9.007199254740994e+15"),
            (1e15, "1000000000000000.0"), (1e16, "1e+16"), (1e22, "1e+22"), (1e23, "1e+23"),
            (1e100, "1e+100"), (1e-100, "1e-100"), (1e300, "1e+300"), (1e-300, "1e-300"),
            (.greatestFiniteMagnitude, "1.7976931348623157e+308"), (.leastNonzeroMagnitude, "5e-324"),
            (.leastNormalMagnitude, "2.2250738585072014e-308"),
            (Double.leastNormalMagnitude.nextDown, "2.225073858507201e-308"),
            // Two shortest candidates equally close: the even one.
            (1_125_899_906_842_624.25, "1125899906842624.2"), (1_125_899_906_842_624.75, "1125899906842624.8"),
            (1_234_567_890_123_456.8, "1234567890123456.8"), (0.000_123_456_789_012_345_67, "0.00012345678901234567"),
            // Probabilities from a Float model, widened.
            (Double(Float(0.1)), "0.10000000149011612"), (Double(Float(0.98216265)), "0.9821626543998718"),
        ]
        for (value, text) in cases {
            #expect(written(value) == text)
            #expect(value.description == text)
        }
    }

    @Test func powersOfTwoAndTheirNeighbours() {
        // Every binary exponent, so every scaling power of ten; powers of two
        // are also where the gap below is half the gap above.
        let powers = (-1074...1023).map { Double(sign: .plus, exponent: $0, significand: 1) }
        #expect(mismatches(withNeighbours(powers)) == [])
        // A few significands per exponent besides.
        let significands: [Double] = [1.1, 1.25, 1.5, 1.7, Double(2).nextDown]
        let others = (-1022...1023).flatMap { exponent in
            significands.map { Double(sign: .plus, exponent: exponent, significand: $0) }
        }
        #expect(mismatches(withNeighbours(others)) == [])
    }

    @Test func subnormals() {
        // The smallest (with the fewest digits), the largest (next to the
        // normals), and a stride through the rest.
        let low = (UInt64(1)...5_000).map(Double.init(bitPattern:))
        let high = around(.leastNormalMagnitude, radius: 5_000)
        let spread = stride(from: UInt64(1), to: 1 << 52, by: 0x1_0000_0001 * 997).map(Double.init(bitPattern:))
        #expect(mismatches((low + high + spread).flatMap { [$0, -$0] }) == [])
    }

    @Test func decimalExponentialSwitch() {
        // Powers of ten and their neighbours (below 10^-4 is exponential).
        let powersOfTen = (-323...308).compactMap { Double("1e\($0)") }
        #expect(powersOfTen.count == 632)
        #expect(mismatches(withNeighbours(powersOfTen)) == [])
        // Just above 2^53 is exponential even for integers; at and below it is not.
        let integers = (Int64(9_007_199_254_740_000)...9_007_199_254_741_000).map(Double.init)
        let more: [Double] = [4_503_599_627_370_495.5, 9_999_999_999_999_998, 1e16, 18_014_398_509_481_984]
        #expect(mismatches(withNeighbours(integers + more)) == [])
        // Every Double from 3000 below to 3000 above 10^-4 and 2^53, and
        // around the other places where the number of digits before the
        // point changes.
        #expect(mismatches(around(0.0001, radius: 3_000)) == [])
        #expect(mismatches(around(9_007_199_254_740_992, radius: 3_000)) == [])
        let places = (-4...15).compactMap { Double("1e\($0)") }.flatMap { around($0, radius: 100) }
        #expect(mismatches(places) == [])
    }

    @Test func widenedFloats() {
        // The default pipeline writes Float outputs as Doubles: every Float
        // on a stride through all bit patterns (NaNs too), and model
        // probabilities k / 2^24.
        let floats = stride(from: UInt32(0), to: UInt32.max - 8_191, by: 8_191)
            .map { Double(Float(bitPattern: $0)) }
        #expect(mismatches(floats) == [])
        var random = SeededGenerator(seed: 0x5EED_0011)
        let probabilities = (0..<100_000).map { _ in Double(Float(random.next() >> 40) * 0x1p-24) }
        #expect(mismatches(probabilities) == [])
    }

    @Test func parsedDecimals() {
        // Decimals of 1 to 17 significant digits and every exponent, read
        // back (correctly rounded), with their neighbours.
        var random = SeededGenerator(seed: 0x5EED_0012)
        var values: [Double] = []
        for _ in 0..<20_000 {
            let digits = Int(random.next() % 17) + 1
            let significand = String(random.next() % 9 + 1) + String(random.next()).suffix(digits - 1)
            let exponent = Int(random.next() % 640) - 330
            values.append(Double("\(significand)e\(exponent)")!)
        }
        #expect(mismatches(withNeighbours(values)) == [])
    }

    @Test(arguments: [0x5EED_0013, 0x5EED_0015] as [UInt64])
    func randomBitPatterns(seed: UInt64) {
        // Every sign and exponent alike, NaNs too. (Two runs of a million,
        // which go in parallel.)
        var random = SeededGenerator(seed: seed)
        let values = (0..<1_000_000).map { _ in Double(bitPattern: random.next()) }
        #expect(mismatches(values) == [])
    }

    @Test func staysWithinTheBuffer() {
        // The text is at most 24 bytes (`-2.2250738585072014e-308`); the
        // 8-byte stores stay inside bufferCapacity.
        var random = SeededGenerator(seed: 0x5EED_0014)
        let values: [Double] = [
            -.leastNormalMagnitude, -1.2345678901234567e-300, -0.00012345678901234567, -1_234_567_890_123_456.8,
            -9_007_199_254_740_992, -123.45678901234568, -.leastNonzeroMagnitude,
        ] + (0..<10_000).map { _ in Double(bitPattern: random.next()) }
        let (longest, overruns) = check.bufferUse(values)
        #expect(longest == 24)
        #expect(overruns == [])
    }

    @Test func byteWriterAppendsTheSameBytes() {
        var writer = ByteWriter()
        let values: [Double] = [
            0.9821626543998718, -0.0, 0, .nan, -.nan, .infinity, -.infinity, 1e-5, 1e16, 42, -7, 1e15,
            9_007_199_254_740_992, 9_007_199_254_740_994, 0.1, .leastNonzeroMagnitude,
        ]
        for value in values {
            writer.appendDouble(value)
            writer.append(UInt8(ascii: ","))
        }
        let expected = values.map { $0.isNaN ? "nan" : $0.description }.joined(separator: ",") + ","
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        #expect(expected.hasPrefix("0.9821626543998718,-0.0,0.0,nan,nan,inf,-inf,1e-05,1e+16,42.0,-7.0,"))
    }
}
