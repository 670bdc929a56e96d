import Codecs
import ConveyorCore
import Testing

@Suite("Encoding")
struct EncoderTests {
    private func text(_ frame: Frame, _ columns: [String], _ type: MediaType) throws -> String {
        String(decoding: try FrameEncoder().encode(frame, columns: columns, as: type), as: UTF8.self)
    }

    @Test func csvQuotesOnlyWhenNeededAndSpellsSpecials() throws {
        let frame = try Frame(columns: [
            .strings("s", ["plain", "a,b", "say \"hi\"", "", "two\nlines", "x"], nulls: [false, false, false, false, false, true]),
            .doubles("d", [1, 0.1, .nan, .infinity, -.infinity, -0.0]),
        ])
        let expected = "plain,1.0\n\"a,b\",0.1\n\"say \"\"hi\"\"\",nan\n\"\",inf\n\"two\nlines\",-inf\n,-0.0\n"
        #expect(try text(frame, ["s", "d"], .csv) == expected)
    }

    @Test func csvShortestRoundTripNumbers() throws {
        let frame = try Frame(columns: [
            .doubles("d", [1e-5, 1e16, .leastNonzeroMagnitude, 0.1 + 0.2, 123456, -2.5, 1.7976931348623157e308]),
        ])
        let expected = "1e-05\n1e+16\n5e-324\n0.30000000000000004\n123456.0\n-2.5\n1.7976931348623157e+308\n"
        #expect(try text(frame, ["d"], .csv) == expected)
    }

    @Test func floatColumnsPrintTheFloat() throws {
        let value = Double(Float(0.71401393))
        let frame = try Frame(columns: [
            Column(name: "p", type: ColumnType(.float), values: .double([value, 0.5, .nan])),
            .doubles("q", [value, 0.5, 1]),
        ])
        // The same double printed as a Double shows float32's binary tail.
        #expect(try text(frame, ["p", "q"], .csv) == "0.71401393,\(value)\n0.5,0.5\nnan,1.0\n")
        #expect("\(value)" != "0.71401393")
    }

    @Test func csvIntsBoolsAndVectors() throws {
        let frame = try Frame(columns: [
            Column(name: "i", type: ColumnType(.long), values: .int([Int64.min, 0, 42])),
            Column(name: "b", type: ColumnType(.boolean), values: .bool([true, false, true])),
            Column(name: "v", type: .vector(2), values: .vector(VectorBlock(width: 2, storage: [1, 2, 0.5, .nan, 3, 4])),
                   nulls: [false, false, true]),
        ])
        let expected = "-9223372036854775808,true,1.0,2.0\n0,false,0.5,nan\n42,true,,\n"
        #expect(try text(frame, ["i", "b", "v"], .csv) == expected)
        #expect(try text(frame, ["b", "i"], .csv) == "true,-9223372036854775808\nfalse,0\ntrue,42\n")
    }

    /// Integers at each digit count's edges, and vectors of every kind of
    /// double, as Swift's own `description` spells them (the first rows
    /// also written out: `-0.0`, 10^15 in decimal form, 2^53 + 1 read as 2^53).
    @Test func csvIntegersAndVectorValuesAtTheirEdges() throws {
        let integers: [Int64] = [Int64.min, Int64.min + 1, -1_000_000_000_000_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100,
                                 999_999_999_999_999_999, 1_000_000_000_000_000_000, Int64.max]
        let ints = try Frame(columns: [Column(name: "i", type: ColumnType(.long), values: .int(integers))])
        #expect(try text(ints, ["i"], .csv) == integers.map { "\($0)\n" }.joined())
        #expect(try text(ints, ["i"], .csv).hasPrefix("-9223372036854775808\n-9223372036854775807\n"))

        let values: [Double] = [0, -0.0, 1, -1, 999_999_999_999_999, 1e15, -1e15, 0.5, 1e-5, 0.00012, 123.456,
                                9_007_199_254_740_993, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -0.30000000000000004]
        let width = 6
        let padded = values + Array(repeating: 2.5, count: (width - values.count % width) % width)
        let frame = try Frame(columns: [
            Column(name: "v", type: .vector(width), values: .vector(VectorBlock(width: width, storage: padded))),
        ])
        let expected = stride(from: 0, to: padded.count, by: width).map { start in
            padded[start..<(start + width)].map { $0.isNaN ? "nan" : $0.description }.joined(separator: ",") + "\n"
        }.joined()
        #expect(try text(frame, ["v"], .csv) == expected)
        #expect(expected.hasPrefix("0.0,-0.0,1.0,-1.0,999999999999999.0,1000000000000000.0\n"
            + "-1000000000000000.0,0.5,1e-05,0.00012,123.456,9007199254740992.0\n"))
    }

    @Test func jsonPredictions() throws {
        let frame = try Frame(columns: [
            .doubles("label", [1, .nan]),
            .vectors("probs", VectorBlock(width: 2, storage: [0.25, 0.75, .infinity, 1e-7])),
            .strings("cat", ["a\"b\\c\n\u{1}é", "x"], nulls: [false, true]),
        ])
        let expected = #"{"predictions":[{"label":1.0,"probs":[0.25,0.75],"cat":"a\"b\\c\n\u0001é"},"#
            + #"{"label":null,"probs":[null,1e-07],"cat":null}]}"#
        #expect(try text(frame, ["label", "probs", "cat"], .json) == expected)
    }

    @Test func jsonLinesRows() throws {
        let frame = try Frame(columns: [
            Column(name: "n", type: ColumnType(.int), values: .int([1, -2])),
            Column(name: "ok", type: ColumnType(.boolean), values: .bool([true, false])),
            Column(name: "f", type: ColumnType(.float), values: .double([Double(Float(0.1)), 1e300])),
        ])
        // 1e300 is beyond float32: it is infinite there, so null.
        let expected = "{\"n\":1,\"ok\":true,\"f\":0.1}\n{\"n\":-2,\"ok\":false,\"f\":null}\n"
        #expect(try text(frame, ["n", "ok", "f"], .jsonLines) == expected)
    }

    @Test func emptyFrame() throws {
        let frame = try Frame(columns: [.doubles("x", [])])
        #expect(try text(frame, ["x"], .csv) == "")
        #expect(try text(frame, ["x"], .json) == #"{"predictions":[]}"#)
        #expect(try text(frame, ["x"], .jsonLines) == "")
    }

    @Test func missingColumnIsAnError() throws {
        let frame = try Frame(columns: [.doubles("x", [1])])
        let error = conveyorError { _ = try FrameEncoder().encode(frame, columns: ["y"], as: .csv) }
        #expect(error?.code == .invalidInput)
        #expect(error?.column == "y")
    }
}
