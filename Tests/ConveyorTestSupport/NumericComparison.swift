import Foundation

/// The one numeric comparison every test and check uses (docs/testing.md).
/// Its Python twin is Tests/Support/numeric_compare.py; keep them alike.
///
/// A value matches its expected value when:
/// - both are NaN (a NaN the producer wrote must be reproduced, nothing else);
/// - both are the same infinity (an infinity is never "close" to anything else);
/// - both are finite and |actual − expected| ≤ max(absolute, relative × |expected|).
/// Everything else fails: NaN against a number either way, an infinity against
/// a finite value or the other infinity, a missing value (nil), a string that
/// does not parse as a number (never read as NaN), and a count mismatch.
/// Written without `max`/`min` over differences: Swift's `max(x, .nan)` is `x`.
public struct NumericTolerance: Sendable, CustomStringConvertible {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double = 0, relative: Double = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Bit-for-bit, except that NaN matches NaN.
    public static let exact = NumericTolerance()

    public static func absolute(_ value: Double) -> NumericTolerance { NumericTolerance(absolute: value) }
    public static func relative(_ value: Double) -> NumericTolerance { NumericTolerance(relative: value) }

    public var description: String { "absolute \(absolute), relative \(relative)" }

    /// One pair, for single-value checks.
    public func accepts(_ actual: Double, _ expected: Double) -> Bool { mismatch(actual, expected) == nil }

    /// Nil when `actual` matches `expected`, else why not.
    public func mismatch(_ actual: Double, _ expected: Double) -> String? {
        if expected.isNaN || actual.isNaN {
            if expected.isNaN && actual.isNaN { return nil }
            return expected.isNaN ? "expected NaN, got a number" : "got NaN, expected a number"
        }
        if expected.isInfinite || actual.isInfinite {
            return actual == expected ? nil : "infinities must match exactly"
        }
        let difference = (actual - expected).magnitude
        // The sum of two finite doubles can overflow to +inf: then they differ.
        guard difference.isFinite else { return "difference overflows" }
        let allowed = Swift.max(absolute, relative * expected.magnitude)
        return difference <= allowed ? nil : "difference \(difference) > \(allowed)"
    }
}

/// One compared value: a number, nil for missing, or text that did not parse.
public enum ComparedValue: Sendable, CustomStringConvertible {
    case number(Double)
    case missing
    case unparsable(String)

    /// Parses Swift's number syntax ("1.5", "-2e-3", "nan", "inf", "-infinity");
    /// surrounding spaces are allowed, an empty string is unparsable.
    public init(parsing text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let value = Double(trimmed) { self = .number(value) } else { self = .unparsable(String(text)) }
    }

    public var description: String {
        switch self {
        case .number(let value): return "\(value)"
        case .missing: return "missing"
        case .unparsable(let text): return "unparsable \"\(text.prefix(40))\""
        }
    }
}

/// The outcome of comparing two sequences: the first mismatch, how many
/// values mismatched, and the worst finite difference seen.
public struct NumericComparison: Sendable, CustomStringConvertible {
    public let label: String
    public let actualCount: Int
    public let expectedCount: Int
    /// Index (into the flat sequence) and reason of the first mismatch.
    public let firstMismatch: (index: Int, actual: ComparedValue, expected: ComparedValue, reason: String)?
    public let mismatches: Int
    /// Largest |actual − expected| over pairs where both are finite, and where.
    public let worstDifference: Double
    public let worstIndex: Int?
    let columns: Int?
    let tolerance: NumericTolerance

    public var countsMatch: Bool { actualCount == expectedCount }
    public var matches: Bool { countsMatch && mismatches == 0 }

    /// Compares `actual` with `expected` pairwise. `columns` (values per row)
    /// makes messages name row and column instead of a flat index.
    public init(_ actual: [ComparedValue], _ expected: [ComparedValue], tolerance: NumericTolerance,
                columns: Int? = nil, label: String = "") {
        self.label = label
        self.actualCount = actual.count
        self.expectedCount = expected.count
        self.columns = columns.flatMap { $0 > 0 ? $0 : nil }
        self.tolerance = tolerance
        var first: (Int, ComparedValue, ComparedValue, String)?
        var mismatches = 0
        var worst = 0.0
        var worstIndex: Int?
        for index in 0..<Swift.min(actual.count, expected.count) {
            let reason: String?
            switch (actual[index], expected[index]) {
            case (.number(let a), .number(let e)):
                reason = tolerance.mismatch(a, e)
                if a.isFinite && e.isFinite {
                    let difference = (a - e).magnitude
                    if worstIndex == nil || difference > worst || !difference.isFinite {
                        worst = difference
                        worstIndex = index
                    }
                }
            case (.missing, _): reason = "actual value missing"
            case (_, .missing): reason = "expected value missing"
            case (.unparsable, _): reason = "actual value is not a number"
            case (_, .unparsable): reason = "expected value is not a number"
            }
            if let reason {
                mismatches += 1
                if first == nil { first = (index, actual[index], expected[index], reason) }
            }
        }
        self.firstMismatch = first.map { (index: $0.0, actual: $0.1, expected: $0.2, reason: $0.3) }
        self.mismatches = mismatches
        self.worstDifference = worst
        self.worstIndex = worstIndex
    }

    /// "value 7" or "row 2, column 1" (both 0-based).
    public func position(_ index: Int) -> String {
        guard let columns else { return "value \(index)" }
        return "row \(index / columns), column \(index % columns)"
    }

    public var description: String {
        let prefix = label.isEmpty ? "" : "\(label): "
        var parts: [String] = []
        if !countsMatch { parts.append("count mismatch: got \(actualCount) values, expected \(expectedCount)") }
        if let first = firstMismatch {
            parts.append("\(mismatches) of \(Swift.min(actualCount, expectedCount)) values differ; first at \(position(first.index)): "
                         + "got \(first.actual), expected \(first.expected) (\(first.reason))")
        }
        if parts.isEmpty { parts.append("\(actualCount) values match") }
        let worst = worstIndex.map { "worst finite difference \(worstDifference) at \(position($0))" }
            ?? "no finite pair compared"
        return prefix + parts.joined(separator: "; ") + "; " + worst + " (tolerance \(tolerance))"
    }
}

extension NumericComparison {
    public init(_ actual: [Double], _ expected: [Double], tolerance: NumericTolerance,
                columns: Int? = nil, label: String = "") {
        self.init(actual.map(ComparedValue.number), expected.map(ComparedValue.number),
                  tolerance: tolerance, columns: columns, label: label)
    }

    /// Float predictions (libxgboost's) widened to Double.
    public init<F: BinaryFloatingPoint>(_ actual: [F], _ expected: [Double], tolerance: NumericTolerance,
                                        columns: Int? = nil, label: String = "") {
        self.init(actual.map { Double($0) }, expected, tolerance: tolerance, columns: columns, label: label)
    }

    /// Text on both sides (CSV fields, JSON numbers printed by another program).
    public init<A: StringProtocol, E: StringProtocol>(parsing actual: [A], _ expected: [E],
                                                       tolerance: NumericTolerance, columns: Int? = nil,
                                                       label: String = "") {
        self.init(actual.map { ComparedValue(parsing: $0) }, expected.map { ComparedValue(parsing: $0) },
                  tolerance: tolerance, columns: columns, label: label)
    }

    /// Text actual (output of the code under test), numbers expected.
    public init<A: StringProtocol>(parsing actual: [A], _ expected: [Double], tolerance: NumericTolerance,
                                   columns: Int? = nil, label: String = "") {
        self.init(actual.map { ComparedValue(parsing: $0) }, expected.map(ComparedValue.number),
                  tolerance: tolerance, columns: columns, label: label)
    }
}
