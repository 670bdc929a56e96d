import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sparkFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/spark")

/// One `*.expected.json` written by training/spark_pipelines.py: input rows,
/// Spark's own transform output per kept row, and the rows Spark refused.
struct SparkFixture {
    let model: URL
    let inputs: [(name: String, type: String)]
    let rows: [[Any]]
    /// Input row index → Spark's output columns.
    let expected: [Int: [String: Any]]
    let errorRows: Set<Int>
    let json: [String: Any]

    init(_ expectedFile: URL, model: URL) throws {
        let data = try Data(contentsOf: expectedFile)
        json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        self.model = model
        inputs = (json["inputs"] as? [[String: String]] ?? []).map { ($0["name"]!, $0["type"]!) }
        rows = json["rows"] as? [[Any]] ?? []
        var expected: [Int: [String: Any]] = [:]
        for entry in json["expected"] as? [[String: Any]] ?? [] {
            expected[(entry["row"] as! NSNumber).intValue] = entry["values"] as? [String: Any]
        }
        self.expected = expected
        errorRows = Set((json["error_rows"] as? [NSNumber] ?? []).map(\.intValue))
    }

    /// A fixture under Tests/Fixtures/spark by name (`stages/bucketizer_keep`, `adult-lr`).
    static func named(_ name: String, model: String? = nil) throws -> SparkFixture {
        try SparkFixture(sparkFixtures.appendingPathComponent("\(name).expected.json"),
                         model: sparkFixtures.appendingPathComponent(model ?? name))
    }

    /// Row `index` as a one-row frame typed as the fixture says.
    func frame(row index: Int) throws -> Frame {
        try frame(rows: [rows[index]])
    }

    func frame(rows selected: [[Any]]) throws -> Frame {
        let columns = inputs.enumerated().map { position, input -> Column in
            let cells = selected.map { $0[position] }
            let nulls = cells.map { $0 is NSNull }
            if input.type == "string" {
                return Column.strings(input.name, cells.map { $0 as? String ?? "" }, nulls: nulls)
            }
            // A null input is flagged in `nulls`; its stored value does not matter.
            return Column.doubles(input.name, cells.map { cell in
                if case .number(let value) = number(cell) { return value }
                return .nan
            }, nulls: nulls)
        }
        return try Frame(columns: columns)
    }
}

/// JSON numbers, and the "NaN"/"Infinity" strings the script writes.
/// A fixture value: a JSON number, or "NaN" / "Infinity" / "-Infinity" (JSON
/// has no such numbers); anything else stays unparsable, never NaN.
func number(_ any: Any) -> ComparedValue {
    switch any {
    case let n as NSNumber: return .number(n.doubleValue)
    case let s as String:
        switch s {
        case "NaN": return .number(.nan)
        case "Infinity": return .number(.infinity)
        case "-Infinity": return .number(-.infinity)
        default: return .unparsable(s)
        }
    default: return .unparsable(String(describing: any))
    }
}

/// The issue's tolerances: exact for indices, one-hot vectors, buckets and
/// labels and class predictions; 1e-6 for probabilities and raw predictions; 1e-9
/// relative otherwise (scaled values, regressions).
func tolerance(for column: String, value: Any, exact: Bool = false) -> NumericTolerance {
    if exact { return .exact }
    if column.hasSuffix("_index") || column.hasSuffix("_vec") || column.hasSuffix("_bucket")
        || column.hasSuffix("_bin") { return .exact }
    // A classifier's prediction is a class index (exact); a regressor's is a value.
    if column == "prediction", case .number(let value) = number(value), value == value.rounded() { return .exact }
    if column == "probability" || column == "rawPrediction" { return NumericTolerance(absolute: 1e-6, relative: 1e-6) }
    return NumericTolerance(absolute: 1e-12, relative: 1e-9)
}

/// Compares one output row to Spark's; returns the mismatches.
func mismatches(_ frame: Frame, row: Int, expected: [String: Any], exact: Bool = false) -> [String] {
    var problems: [String] = []
    for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
        guard let column = frame.column(name) else { problems.append("no column '\(name)'"); continue }
        let tol = tolerance(for: name, value: want, exact: exact)
        if want is NSNull {
            if !column.isNull(row) { problems.append("\(name): expected null") }
            continue
        }
        if column.isNull(row) { problems.append("\(name): got null, expected \(want)"); continue }
        switch column.values {
        case .string(let values):
            if values[row] != want as? String { problems.append("\(name): \(values[row]) != \(want)") }
        case .vector(let block):
            guard let wanted = want as? [Any] else { problems.append("\(name): expected \(want), got a vector"); continue }
            let result = NumericComparison(block.row(row).map(ComparedValue.number), wanted.map(number), tolerance: tol,
                                           label: name)
            if !result.matches { problems.append("\(result)") }
        default:
            do {
                let got = try column.scalarDoubles()[row]
                let result = NumericComparison([.number(got)], [number(want)], tolerance: tol, label: name)
                if !result.matches { problems.append("\(result)") }
            } catch {
                problems.append("\(name): not numbers: \(error)")
            }
        }
    }
    return problems
}

/// Runs every fixture row through the stage one by one, as the script ran
/// Spark: refused rows must be refused (invalid input), skipped rows
/// dropped, kept rows equal to Spark's output.
/// `exact`: every number equal to Spark's, bit for bit (trees, forests,
/// XGBoost and the feature stages); otherwise the tolerances of
/// `tolerance(for:value:)` (linear algebra, whose BLAS order Spark picks).
func checkAgainstSpark(_ fixture: SparkFixture, stage: SparkMLStage, exact: Bool = false,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
    for index in fixture.rows.indices {
        let frame = try fixture.frame(row: index)
        if fixture.errorRows.contains(index) {
            do {
                _ = try stage.transformAll(frame)
                Issue.record("row \(index): Spark refused it, Conveyor did not", sourceLocation: sourceLocation)
            } catch let error as ConveyorError {
                #expect(error.code == .invalidInput, "row \(index): \(error)", sourceLocation: sourceLocation)
            }
            continue
        }
        let out = try stage.transformAll(frame)
        guard let want = fixture.expected[index] else {
            #expect(out.rowCount == 0, "row \(index): Spark dropped it, Conveyor kept it", sourceLocation: sourceLocation)
            continue
        }
        #expect(out.rowCount == 1, "row \(index): Conveyor dropped a row Spark kept", sourceLocation: sourceLocation)
        guard out.rowCount == 1 else { continue }
        let problems = mismatches(out, row: 0, expected: want, exact: exact)
        #expect(problems.isEmpty, "row \(index): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}
