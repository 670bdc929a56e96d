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
