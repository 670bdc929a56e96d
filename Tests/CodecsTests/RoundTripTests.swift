import ConveyorTestSupport
import Codecs
import ConveyorCore
import Foundation
import Testing

@Suite("Round trips")
struct RoundTripTests {
    /// Random bit patterns cover every exponent, subnormals, both zeros and
    /// NaN/infinity; plus values of the kind models produce.
    private static func randomDoubles(_ count: Int, finite: Bool) -> [Double] {
        var generator = SeededGenerator(seed: 20_240_601)
        var values: [Double] = [0.1, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.2250738585072014e-308, 1, 1e15, 1e16]
        while values.count < count {
            let value = generator.next() % 3 == 0
                ? Double.random(in: -1...1, using: &generator)
                : Double(bitPattern: generator.next())
            if finite && !value.isFinite { continue }
            values.append(value)
        }
        return values
    }

    @Test(arguments: [MediaType.csv, .json, .jsonLines])
    func doublesSurviveBitForBit(type: MediaType) throws {
        let finite = type != .csv
        let values = Self.randomDoubles(4_000, finite: finite)
        let vector = Self.randomDoubles(4_000 * 3, finite: finite).reversed()
        let frame = try Frame(columns: [
            .doubles("x", values),
            .vectors("v", VectorBlock(width: 3, storage: Array(vector))),
        ])
        let body = try FrameEncoder().encode(frame, columns: ["x", "v"], as: type)
        let inputs = [ColumnSpec("x", .double), ColumnSpec("v", .vector(3))]
        let decoded = try FrameDecoder(inputs: inputs).decode(body, as: type)
        #expect(decoded.rowCount == values.count)
        let roundTripped = try #require(doubles(decoded, "x"))
        // NaN payloads and signs are not kept (all NaN print as `nan`); all else is.
        let mismatches = zip(values, roundTripped).filter { original, back in
            original.isNaN ? !back.isNaN : original.bitPattern != back.bitPattern
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(3))")
        let vectorBack = try #require(block(decoded, "v")).storage
        // Bit patterns, stricter than the shared comparison (0.0 and -0.0 differ); counts first.
        #expect(vectorBack.count == vector.count)
        #expect(zip(Array(vector), vectorBack).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern })
    }

    @Test func floatColumnsSurviveAsFloats() throws {
        var generator = SeededGenerator(seed: 7)
        let values = (0..<2_000).map { _ in Double(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))) }
            .filter(\.isFinite)
        let frame = try Frame(columns: [Column(name: "f", type: ColumnType(.float), values: .double(values))])
        let body = try FrameEncoder().encode(frame, columns: ["f"], as: .csv)
        let decoded = try FrameDecoder(inputs: [ColumnSpec("f", ColumnType(.float))]).decode(body, as: .csv)
        #expect(bits(doubles(decoded, "f")) == bits(values))
    }

    @Test func stringsSurviveCSVAndJSON() throws {
        // A null is an empty line in one-column CSV, so it must not come
        // last: trailing blank lines are ignored.
        let values = ["plain", "", " spaced ", "a,b", "", "\"", "x\r\ny", "é😀", "tab\there", "\u{0}\u{1f}"]
        let nulls = values.indices.map { $0 == 4 }
        let frame = try Frame(columns: [.strings("s", values, nulls: nulls)])
        // TSV cannot carry a tab or line break (Spark does not escape them): TSVTests.
        for type in MediaType.allCases where type != .tsv {
            let body = try FrameEncoder().encode(frame, columns: ["s"], as: type)
            let decoded = try FrameDecoder(inputs: [ColumnSpec("s", .string)]).decode(body, as: type)
            #expect(strings(decoded, "s") == values, "\(type)")
            #expect(decoded.column("s")?.nulls == nulls, "\(type)")
        }
    }

    /// Not a benchmark: prints rough rates so regressions are visible in logs.
    @Test func throughputSmokeCheck() throws {
        let rows = 20_000
        let values = Self.randomDoubles(rows * 10, finite: true).map { ($0 * 1e6).rounded() / 1e6 }
        let frame = try Frame(columns: [.vectors("v", VectorBlock(width: 10, storage: values))])
        let clock = ContinuousClock()
        var body: [UInt8] = []
        let encodeTime = try clock.measure { body = try FrameEncoder().encode(frame, columns: ["v"], as: .csv) }
        var decoded: Frame?
        let decodeTime = try clock.measure {
            decoded = try FrameDecoder(inputs: [ColumnSpec("v", .vector(10))]).decode(body, as: .csv)
        }
        #expect(decoded?.rowCount == rows)
        let megabytes = Double(body.count) / 1_000_000
        print("CSV \(rows)x10 (\(String(format: "%.1f", megabytes)) MB): encode \(encodeTime), decode \(decodeTime)")
    }
}
