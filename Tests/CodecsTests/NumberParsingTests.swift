import Codecs
import ConveyorCore
import Testing

/// Exact number reading, checked through the CSV decoder's double columns.
/// Expected values are Swift literals (correctly rounded by the compiler)
/// or values derived by hand from IEEE 754.
@Suite("Number parsing")
struct NumberParsingTests {
    private func parse(_ text: String) throws -> Double {
        let frame = try decode(text, [ColumnSpec("x", .double)])
        return try #require(doubles(frame, "x")?.first)
    }

    @Test(arguments: [
        ("0.1", 0.1),
        ("1e-300", 1e-300),
        ("5e-324", Double.leastNonzeroMagnitude),
        ("1.7976931348623157e308", Double.greatestFiniteMagnitude),
        ("2.2250738585072014e-308", Double.leastNormalMagnitude),
        ("0.30000000000000004", 0.1 + 0.2),
        ("123456789012345678901234567890", 1.2345678901234568e29),
        ("3.141592653589793", Double.pi),
        ("1E3", 1000),
        ("1.", 1),
        (".5", 0.5),
        ("+2", 2),
        ("-1.5e-3", -0.0015),
        ("0.000001", 1e-6),
        ("1e400", .infinity),
        ("1e-400", 0),
    ])
    func exactDoubles(text: String, expected: Double) throws {
        #expect(try parse(text).bitPattern == expected.bitPattern)
    }

    @Test func halfwayCasesRoundToEven() throws {
        // 2^53 + 1 lies halfway between 2^53 and 2^53 + 2; the even one wins.
        #expect(try parse("9007199254740993") == 9_007_199_254_740_992)
        // 2^53 + 3 lies halfway between 2^53 + 2 and 2^53 + 4; 2^53 + 4 is even.
        #expect(try parse("9007199254740995") == 9_007_199_254_740_996)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        let value = try parse("-0.0")
        #expect(value == 0)
        #expect(value.sign == .minus)
        #expect(try parse("-0").sign == .minus)
    }

    @Test func nanAndInfinityInAnyCase() throws {
        for text in ["nan", "NaN", "NAN", "-nan"] { #expect(try parse(text).isNaN, "\(text)") }
        #expect(try parse("inf") == .infinity)
        #expect(try parse("Infinity") == .infinity)
        #expect(try parse("-inf") == -.infinity)
        #expect(try parse("-INF") == -.infinity)
    }

    @Test func spacesAroundNumbersAreAllowed() throws {
        #expect(try parse("  2.5 ") == 2.5)
        #expect(try parse("\t-1\t") == -1)
    }

    @Test(arguments: ["abc", "1.2.3", "1e", "e5", "--1", "0x10", "1_000", "1,5", ".", "-", "nanx", "1 2"])
    func notNumbers(text: String) {
        let error = conveyorError {
            _ = try decode("\"\(text)\"", [ColumnSpec("x", .double)])
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "'\(text)' is not a number")
    }
}
