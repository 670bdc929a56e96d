import ConveyorTestSupport
import Testing
@testable import XGBoost

@Suite struct ModelReadingTests {
    @Test func detectsFormats() {
        #expect(ModelFormat.detect(Array(#"{"learner": {}}"#.utf8)) == .json)
        #expect(ModelFormat.detect(Array("\n {\"a\":1}".utf8)) == .json)
        #expect(ModelFormat.detect([0x7B, 0x4C, 0, 0, 0, 0, 0, 0, 0, 7]) == .ubjson)
        #expect(ModelFormat.detect(Array("binf".utf8) + [0, 0, 0, 63]) == .legacyBinary)
    }

    @Test func parsesBaseScores() {
        #expect(BaseScore(stored: "5E-1") == .scalar(0.5))
        #expect(BaseScore(stored: "[2.4075276E-1]") == .vector([0.24075276]))
        #expect(BaseScore(stored: "[6.0753345E-1,-1.1222138E0]") == .vector([0.60753345, -1.1222138]))
        #expect(BaseScore(stored: "[]") == nil)
        #expect(BaseScore(stored: "[1,") == nil)
        #expect(BaseScore(stored: "abc") == nil)
    }

    @Test func logisticBaseScoreBecomesLogit() throws {
        let margin = try #require(Objective.binaryLogistic.margin(fromBaseScore: 0.25))
        #expect(NumericTolerance.absolute(1e-6).accepts(Double(margin), -1.0986123), "\(margin)")
        #expect(Objective.binaryLogistic.margin(fromBaseScore: 1.5) == nil)
        #expect(Objective.multiSoftprob.margin(fromBaseScore: -1.25) == -1.25)
    }

    @Test func readsUBJSONContainers() throws {
        // {"a": [$i#U 20 ...], "b": [#U 2 S"x" d 1.5], "v": [$U#U 3 3 4 1], "s": "hi"}
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        func key(_ text: String) { bytes += [UInt8(ascii: "U"), UInt8(text.utf8.count)] + Array(text.utf8) }
        key("a"); bytes += Array("[$i#U".utf8) + [20] + [UInt8](repeating: 1, count: 20)
        key("b"); bytes += Array("[#U".utf8) + [2, UInt8(ascii: "S"), UInt8(ascii: "U"), 1, UInt8(ascii: "x")]
        bytes += [UInt8(ascii: "d"), 0x3F, 0xC0, 0, 0]
        key("v"); bytes += Array("[$U#U".utf8) + [3, 3, 4, 1]
        key("s"); bytes += [UInt8(ascii: "S"), UInt8(ascii: "i"), 2] + Array("hi".utf8)
        key("n"); bytes += [UInt8(ascii: "L"), 0, 0, 0, 0, 0, 0, 1, 0]
        bytes.append(UInt8(ascii: "}"))

        let value = try UBJSONReader.parse(bytes)
        #expect(value["a"] == .integers([Int32](repeating: 1, count: 20)))
        #expect(value["b"] == .array([.string("x"), .double(1.5)]))
        #expect(value["v"]?.items?.compactMap(\.integer) == [3, 4, 1])
        #expect(value["s"] == .string("hi"))
        #expect(value["n"]?.integer == 256)

        for cut in 1..<bytes.count {
            #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.parse(Array(bytes.prefix(cut))) }
        }
    }

    @Test func refusesHostileUBJSON() {
        // A typed array claiming 2^40 elements, and nesting beyond the limit.
        let huge: [UInt8] = Array("[$d#L".utf8) + [0, 0, 1, 0, 0, 0, 0, 0]
        #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.parse(huge) }
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 10_000)
        #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.parse(deep) }
    }
}
