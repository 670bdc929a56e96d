import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

/// One `Tests/Fixtures/spark-corpus/expected/<id>.expected.json` (written by
/// training/spark_corpus_compare.py: typed inputs — string, double, vector,
/// list — the rows, Spark 4's output per row and the rows Spark refused) run
/// through Conveyor, row by row as Spark ran them; the mismatches and the
/// largest absolute difference over every number compared.
struct CorpusComparison {
    private(set) var problems: [String] = []
    private(set) var rows = 0
    private(set) var refusedRows = 0
    private(set) var worstAbsolute = 0.0
    private(set) var columns: [String] = []

    init(_ expectedFile: URL, model: URL) throws {
        let json = try #require(try ExactJSON.object(with: Data(contentsOf: expectedFile)) as? [String: Any])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        let inputRows = try #require(json["rows"] as? [[Any]])
        var expected: [Int: [String: Any]] = [:]
        for entry in json["expected"] as? [[String: Any]] ?? [] {
            expected[(entry["row"] as? NSNumber)?.intValue ?? -1] = entry["values"] as? [String: Any]
        }
        let errorRows = Set((json["error_rows"] as? [NSNumber] ?? []).map(\.intValue))
        columns = Set(expected.values.flatMap(\.keys)).sorted()
        let stage = try SparkMLStage(name: "corpus", modelURL: model, schema: nil)
        for (index, row) in inputRows.enumerated() {
            let frame = try Self.frame(inputs, row)
            if errorRows.contains(index) {
                refusedRows += 1
                do {
                    _ = try stage.transformAll(frame)
                    problems.append("row \(index): Spark refused it, Conveyor did not")
                } catch let error as ConveyorError where error.code == .invalidInput {
                } catch {
                    problems.append("row \(index): refused with \(error), not as invalid input")
                }
                continue
            }
            let out = try stage.transformAll(frame)
            guard let want = expected[index] else {
                if out.rowCount != 0 { problems.append("row \(index): Spark dropped it, Conveyor kept it") }
                continue
            }
            guard out.rowCount == 1 else { problems.append("row \(index): \(out.rowCount) rows out"); continue }
            rows += 1
            for (name, value) in want.sorted(by: { $0.key < $1.key }) {
                compare(out, name, value, row: index)
            }
        }
    }

    /// A one-row frame typed as the file says.
    static func frame(_ inputs: [[String: Any]], _ row: [Any]) throws -> Frame {
        try Frame(columns: zip(inputs, row).map { input, cell -> Column in
            let name = input["name"] as? String ?? ""
            let null = cell is NSNull
            switch input["type"] as? String {
            case "string": return .strings(name, [cell as? String ?? ""], nulls: [null])
            case "list": return .stringLists(name, StringLists([(cell as? [Any] ?? []).compactMap { $0 as? String }]),
                                             nulls: [null])
            case "vector":
                let values = (cell as? [Any] ?? []).map { item -> Double in
                    if case .number(let value) = number(item) { return value }
                    return .nan
                }
                return Columns.vectors(name, width: (input["width"] as? NSNumber)?.intValue ?? values.count,
                                       [null ? nil : values])
            default:
                if case .number(let value) = number(cell) { return .doubles(name, [value], nulls: [null]) }
                return .doubles(name, [.nan], nulls: [true])
            }
        })
    }

    private mutating func compare(_ out: Frame, _ name: String, _ want: Any, row: Int) {
        guard let column = out.column(name) else { problems.append("row \(row): no column '\(name)'"); return }
        if want is NSNull {
            if !column.isNull(0) { problems.append("row \(row) \(name): expected null") }
            return
        }
        if column.isNull(0) { problems.append("row \(row) \(name): null, Spark has \(want)"); return }
        let tol = tolerance(for: name, value: want)
        var actual: [ComparedValue] = []
        var wanted: [ComparedValue] = []
        switch column.values {
        case .string(let values):
            if values[0] != want as? String { problems.append("row \(row) \(name): '\(values[0])', Spark '\(want)'") }
            return
        case .stringLists(let lists):
            let spark = (want as? [Any] ?? []).compactMap { $0 as? String }
            if Array(lists.row(0)) != spark { problems.append("row \(row) \(name): \(Array(lists.row(0))), Spark \(spark)") }
            return
        case .vector(let block):
            actual = block.row(0).map(ComparedValue.number)
            wanted = (want as? [Any] ?? []).map(number)
        default:
            guard let values = try? column.scalarDoubles() else { problems.append("row \(row) \(name): not numbers"); return }
            actual = [.number(values[0])]
            wanted = [number(want)]
        }
        let result = NumericComparison(actual, wanted, tolerance: tol, label: "row \(row) \(name)")
        if !result.matches { problems.append("\(result)") }
        // The table's figure: the helper's largest finite difference (a NaN fails `matches` above).
        if result.worstDifference > worstAbsolute { worstAbsolute = result.worstDifference }
    }
}
