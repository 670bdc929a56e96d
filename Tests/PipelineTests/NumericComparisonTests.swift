import ConveyorTestSupport
import Foundation
import Testing

/// The shared comparison itself: every failure mode must fail, and say where.
@Suite struct NumericComparisonTests {
    let tight = NumericTolerance(absolute: 1e-6)

    @Test func equalAndCloseValuesMatch() {
        #expect(NumericComparison([1, 2, 3], [1, 2, 3], tolerance: .exact).matches)
        let close = NumericComparison([1.0000005, 2], [1, 2], tolerance: tight)
        #expect(close.matches)
        #expect(close.worstIndex == 0 && close.worstDifference > 4e-7 && close.worstDifference < 6e-7)
        #expect(NumericComparison([Double](), [], tolerance: tight).matches)
    }

    @Test func aDifferenceBeyondTheToleranceFails() {
        let result = NumericComparison([1, 2.001, 3], [1, 2, 3], tolerance: tight, label: "probabilities")
        #expect(!result.matches)
        #expect(result.mismatches == 1 && result.firstMismatch?.index == 1)
        #expect(result.description.hasPrefix("probabilities: 1 of 3 values differ; first at value 1"))
        #expect(!NumericComparison([1e-3], [0], tolerance: .relative(1e-9)).matches)
    }

    @Test func nanAgainstANumberFailsBothWays() {
        #expect(!NumericComparison([.nan], [0.5], tolerance: tight).matches)
        #expect(!NumericComparison([0.5], [.nan], tolerance: tight).matches)
        #expect(!NumericComparison([.nan, .nan], [0.5, 0.5], tolerance: .absolute(.infinity)).matches)
        // An all-NaN answer fails even where a `max`-based check would see worst = 0.
        let allNaN = NumericComparison([Double](repeating: .nan, count: 200), [Double](repeating: 0.25, count: 200),
                                       tolerance: tight)
        #expect(allNaN.mismatches == 200 && allNaN.worstIndex == nil)
        #expect(allNaN.description.contains("got nan, expected 0.25 (got NaN, expected a number)"))
    }

    @Test func nanMatchesOnlyNaN() {
        #expect(NumericComparison([.nan, 1], [.nan, 1], tolerance: .exact).matches)
        #expect(NumericComparison([-Double.nan], [.nan], tolerance: .exact).matches)
    }

    @Test func infinitiesMustMatchExactly() {
        #expect(NumericComparison([.infinity, -.infinity], [.infinity, -.infinity], tolerance: .exact).matches)
        // A relative tolerance against +inf would allow anything finite: it must not.
        #expect(!NumericComparison([1e308], [.infinity], tolerance: .relative(1e-9)).matches)
        #expect(!NumericComparison([5], [.infinity], tolerance: NumericTolerance(absolute: 1e-6, relative: 0.5)).matches)
        #expect(!NumericComparison([.infinity], [1e308], tolerance: .relative(1)).matches)
        #expect(!NumericComparison([-.infinity], [.infinity], tolerance: .absolute(.infinity)).matches)
        #expect(!NumericComparison([.infinity], [.nan], tolerance: .exact).matches)
        // Finite values whose difference overflows are not close either.
        #expect(!NumericComparison([Double.greatestFiniteMagnitude], [-Double.greatestFiniteMagnitude],
                                   tolerance: .relative(2)).matches)
    }

    @Test func aCountMismatchFails() {
        let shorter = NumericComparison([1, 2], [1, 2, 3], tolerance: tight)
        #expect(!shorter.matches && !shorter.countsMatch && shorter.mismatches == 0)
        #expect(shorter.description.contains("count mismatch: got 2 values, expected 3"))
        #expect(!NumericComparison([1, 2, 3], [1, 2], tolerance: tight).matches)
        #expect(!NumericComparison([Double](), [1], tolerance: tight).matches)
    }

    @Test func missingValuesFail() {
        #expect(!NumericComparison([.number(1), .missing], [.number(1), .number(2)], tolerance: tight).matches)
        #expect(!NumericComparison([.number(1), .number(2)], [.number(1), .missing], tolerance: tight).matches)
        #expect(!NumericComparison([.missing], [.missing], tolerance: tight).matches)
    }

    @Test func unparsableTextFailsInsteadOfBecomingNaN() {
        #expect(NumericComparison(parsing: ["0.25", " 1e-3", "nan", "-inf"], [0.25, 0.001, .nan, -.infinity],
                                  tolerance: tight).matches)
        let garbage = NumericComparison(parsing: ["0.25", "abc"], [0.25, .nan], tolerance: tight)
        #expect(!garbage.matches && garbage.firstMismatch?.index == 1)
        #expect(garbage.description.contains("unparsable \"abc\""))
        #expect(!NumericComparison(parsing: [""], [Double.nan], tolerance: tight).matches)
        #expect(!NumericComparison(parsing: ["1"], ["one"], tolerance: tight).matches)
    }

    @Test func floatsAreWidened() {
        let float: [Float] = [0.1, .nan]
        #expect(NumericComparison(float, [0.1, .nan], tolerance: tight).matches)
        #expect(!NumericComparison(float, [0.1, .nan], tolerance: .exact).matches)
    }

    @Test func messagesNameRowAndColumnAndTheWorstDifference() {
        let result = NumericComparison([0.1, 0.2, 0.3, 0.4, 0.5, 0.9], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
                                       tolerance: tight, columns: 3, label: "p")
        #expect(result.firstMismatch?.index == 5)
        #expect(result.description.contains("first at row 1, column 2"))
        #expect(result.description.contains("worst finite difference"))
        #expect(result.description.contains("at row 1, column 2"))
    }

    /// The Python twin (Tests/Support/numeric_compare.py) tests the same failure modes.
    @Test func thePythonTwinPassesItsOwnTests() async throws {
        let (status, output) = try await offPool {
            try runCombiningOutput(URL(fileURLWithPath: "/usr/bin/env"),
                                   ["python3", repoFile("Tests/Support/numeric_compare.py").path])
        }
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("numeric_compare: 21 failure modes fail"), "\(output)")
    }
}
