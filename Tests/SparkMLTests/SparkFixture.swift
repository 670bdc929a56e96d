import ConveyorCore
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
        json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
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
            return Column.doubles(input.name, cells.map(number), nulls: nulls)
        }
        return try Frame(columns: columns)
    }
}

/// JSON numbers, and the "NaN"/"Infinity" strings the script writes.
func number(_ any: Any) -> Double {
    switch any {
    case let n as NSNumber: return n.doubleValue
    case let s as String: return s == "NaN" ? .nan : s == "Infinity" ? .infinity : s == "-Infinity" ? -.infinity : .nan
    default: return .nan
    }
}

/// The issue's tolerances: exact for indices, one-hot vectors, buckets and
/// labels and class predictions; 1e-6 for probabilities and raw predictions; 1e-9
/// relative otherwise (scaled values, regressions).
func tolerance(for column: String, value: Any) -> (absolute: Double, relative: Double) {
    if column.hasSuffix("_index") || column.hasSuffix("_vec") || column.hasSuffix("_bucket")
        || column.hasSuffix("_bin") { return (0, 0) }
    // A classifier's prediction is a class index (exact); a regressor's is a value.
    if column == "prediction", number(value) == number(value).rounded() { return (0, 0) }
    if column == "probability" || column == "rawPrediction" { return (1e-6, 1e-6) }
    return (1e-12, 1e-9)
}

func close(_ a: Double, _ b: Double, _ tol: (absolute: Double, relative: Double)) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return abs(a - b) <= max(tol.absolute, tol.relative * max(abs(a), abs(b)))
}

/// Compares one output row to Spark's; returns the mismatches.
func mismatches(_ frame: Frame, row: Int, expected: [String: Any]) -> [String] {
    var problems: [String] = []
    for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
        guard let column = frame.column(name) else { problems.append("no column '\(name)'"); continue }
        let tol = tolerance(for: name, value: want)
        if want is NSNull {
            if !column.isNull(row) { problems.append("\(name): expected null") }
            continue
        }
        if column.isNull(row) { problems.append("\(name): got null, expected \(want)"); continue }
        switch column.values {
        case .string(let values):
            if values[row] != want as? String { problems.append("\(name): \(values[row]) != \(want)") }
        case .vector(let block):
            let got = Array(block.row(row))
            let wanted = (want as? [Any] ?? []).map(number)
            if got.count != wanted.count || !zip(got, wanted).allSatisfy({ close($0, $1, tol) }) {
                problems.append("\(name): \(got) != \(wanted)")
            }
        default:
            let got = (try? column.scalarDoubles())?[row] ?? .nan
            if !close(got, number(want), tol) { problems.append("\(name): \(got) != \(number(want))") }
        }
    }
    return problems
}

/// Runs every fixture row through the stage one by one, as the script ran
/// Spark: refused rows must be refused (invalid input), skipped rows
/// dropped, kept rows equal to Spark's output.
func checkAgainstSpark(_ fixture: SparkFixture, stage: SparkMLStage, sourceLocation: SourceLocation = #_sourceLocation) throws {
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
        let problems = mismatches(out, row: 0, expected: want)
        #expect(problems.isEmpty, "row \(index): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}
