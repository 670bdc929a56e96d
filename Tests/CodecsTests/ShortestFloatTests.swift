@testable import Codecs
import ConveyorTestSupport
import Testing

/// `ShortestFloat` must write exactly the bytes of the standard library's
/// `Float.description` (the expected values here all come from it). All 2^32
/// bit patterns were compared once outside CI; these cover the edges and a
/// fixed sample.
@Suite("Shortest Float text")
struct ShortestFloatTests {
    private let check = ShortestTextCheck<Float>(capacity: ShortestFloat.bufferCapacity, write: ShortestFloat.write,
                                                 bits: { UInt64($0.bitPattern) }, skipsNaN: true)

    private func mismatches<S: Sequence<Float>>(_ values: S) -> [String] { check.mismatches(values) }
    private func written(_ value: Float) -> String { check.written(value) }
    private func withNeighbours(_ values: [Float]) -> [Float] { check.withNeighbours(values) }

    @Test func specialValues() {
        #expect(written(0) == "0.0")
        #expect(written(-0.0) == "-0.0")
        #expect(written(.infinity) == "inf")
        #expect(written(-.infinity) == "-inf")
        #expect(written(.nan) == "nan")
        #expect(written(-.nan) == "nan")
        #expect(written(.signalingNaN) == "nan")
        let edges: [Float] = [
            0, -0.0, .infinity, -.infinity,
            .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
            Float.leastNormalMagnitude.nextDown,  // the largest subnormal
            .ulpOfOne, .pi,
        ]
        #expect(mismatches(withNeighbours(edges)) == [])
    }

    @Test func knownTexts() {
        // What Swift prints, to show the format (checked against description
        // below as well).
        let cases: [(Float, String)] = [
            (0.1, "0.1"), (1.0 / 3, "0.33333334"), (100, "100.0"), (123456.7, "123456.7"),
            (0.0001, "0.0001"), (Float(0.0001).nextDown, "9.999999e-05"), (1e-5, "1e-05"),
            (16_777_216, "16777216.0"), (16_777_218, "1.6777218e+07"), (1e7, "10000000.0"),
            (1e16, "1e+16"), (.greatestFiniteMagnitude, "3.4028235e+38"),
            (.leastNonzeroMagnitude, "1e-45"), (.leastNormalMagnitude, "1.1754944e-38"),
            (-2.5, "-2.5"), (0.71401393, "0.71401393"),
        ]
        for (value, text) in cases {
            #expect(written(value) == text)
            #expect(value.description == text)
        }
    }

    @Test func powersOfTwoAndTheirNeighbours() {
        // Every binary exponent, so every scaling power of ten; powers of two
        // are also where the gap below is half the gap above.
        let powers = (-149...127).map { Float(sign: .plus, exponent: $0, significand: 1) }
        #expect(mismatches(withNeighbours(powers)) == [])
        // A few significands per exponent besides.
        let significands: [Float] = [1.1, 1.25, 1.5, 1.7, 1.9999999]
        let others = (-126...127).flatMap { exponent in
            significands.map { Float(sign: .plus, exponent: exponent, significand: $0) }
        }
        #expect(mismatches(withNeighbours(others)) == [])
    }

    @Test func subnormals() {
        // The smallest (with the fewest digits), the largest (next to the
        // normals), and a stride through the rest.
        let low = (UInt32(1)...5_000).map(Float.init(bitPattern:))
        let high = (UInt32(0x7F_F000)...0x80_1000).map(Float.init(bitPattern:))
        let spread = stride(from: UInt32(1), to: 0x80_0000, by: 97).map(Float.init(bitPattern:))
        #expect(mismatches((low + high + spread).flatMap { [$0, -$0] }) == [])
    }

    @Test func decimalExponentialSwitch() {
        // Powers of ten and their neighbours (below 10^-4 is exponential).
        let powersOfTen = (-45...38).compactMap { Float("1e\($0)") }
        #expect(powersOfTen.count == 84)
        #expect(mismatches(withNeighbours(powersOfTen)) == [])
        // Just above 2^24 is exponential even for integers; at and below it is not.
        let integers = (Int32(16_777_000)...16_777_300).map(Float.init)
        #expect(mismatches(withNeighbours(integers + [8_388_607.5, 9_999_999, 10_000_000, 33_554_432])) == [])
        // Every Float from just below 10^-4 up to past it, and from 2^24 -
        // 2^10 to 2^24 + 2^11.
        let aroundTenThousandth = (Float(0.0001).bitPattern - 3_000...Float(0.0001).bitPattern + 3_000)
        let aroundTwoToThe24 = (Float(16_776_192).bitPattern...Float(16_779_264).bitPattern)
        #expect(mismatches(aroundTenThousandth.map(Float.init(bitPattern:))) == [])
        #expect(mismatches(aroundTwoToThe24.map(Float.init(bitPattern:))) == [])
    }

    @Test func familiarValues() {
        var values: [Float] = [0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.5, 0.25, 0.999, 0.001, 1, 2, 10, 100, 1000]
        // (Integers a Float cannot hold round to a neighbour.)
        values += [16_777_216, Float(16_777_217 as Int32), 16_777_218, 123_456.7, 3.14159, 2.7182817]
        values += [Float(299_792_458 as Int32), Float(Int32.max), Float(Int64.max)]
        values += (1...1_000).map { Float($0) / 1_000 } + (1...1_000).map { Float($0) / 7 }
        #expect(mismatches(withNeighbours(values)) == [])
    }

    @Test func probabilities() {
        // Model outputs: k / 2^24 and random ones in (0, 1).
        var random = SeededGenerator(seed: 0x5EED_0001)
        let grid = stride(from: UInt32(1), to: 1 << 24, by: 37).map { Float($0) * 0x1p-24 }
        let uniform = (0..<200_000).map { _ in Float(random.next() >> 40) * 0x1p-24 }
        #expect(mismatches(grid + uniform) == [])
    }

    @Test func randomBitPatterns() {
        // Every sign and exponent alike; NaNs are skipped.
        var random = SeededGenerator(seed: 0x5EED_0002)
        var values: [Float] = []
        values.reserveCapacity(2_000_000)
        for _ in 0..<1_000_000 {
            let bits = random.next()
            values.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            values.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)))
        }
        #expect(mismatches(values) == [])
    }

    @Test func staysWithinTheBuffer() {
        // The text is at most 15 bytes; the 8-byte stores stay inside
        // bufferCapacity.
        var random = SeededGenerator(seed: 0x5EED_0003)
        let values: [Float] = [-1.00000075e-36, -0.000100000005, -1_234_567.9, -16_777_216, -123.45678]
            + (0..<10_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }
        let (longest, overruns) = check.bufferUse(values)
        #expect(longest == 15)
        #expect(overruns == [])
    }

    @Test func byteWriterAppendsTheSameBytes() {
        var writer = ByteWriter()
        let values: [Float] = [0.71401393, -0.0, .nan, -.nan, .infinity, 1e-5, 16_777_218, 42]
        for value in values {
            writer.appendFloat(value)
            writer.append(UInt8(ascii: ","))
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "0.71401393,-0.0,nan,nan,inf,1e-05,1.6777218e+07,42.0,")
    }
}
