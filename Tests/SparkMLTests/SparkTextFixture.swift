import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let sparkTextFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/spark-text")

/// One `*.expected.json` written by training/spark_text.py: input rows (text
/// or token lists), Spark's own transform output per row, the rows Spark
/// refused. A list is compared element by element, a vector exactly: its
/// size, and Spark's (sparse) indices and values.
struct SparkTextFixture {
    let name: String
    let inputs: [(name: String, type: String)]
    let rows: [[Any]]
    let expected: [Int: [String: Any]]
    let errorRows: Set<Int>

    init(_ name: String) throws {
        self.name = name
        let data = try Data(contentsOf: sparkTextFixtures.appendingPathComponent("\(name).expected.json"))
        let json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        inputs = try #require(json["inputs"] as? [[String: String]]).map { ($0["name"] ?? "", $0["type"] ?? "") }
        rows = try #require(json["rows"] as? [[Any]])
        var expected: [Int: [String: Any]] = [:]
        for entry in json["expected"] as? [[String: Any]] ?? [] {
            expected[try #require((entry["row"] as? NSNumber)?.intValue)] = try #require(entry["values"] as? [String: Any])
        }
        self.expected = expected
        errorRows = Set(try #require(json["error_rows"] as? [Any]).compactMap { ($0 as? NSNumber)?.intValue })
    }

    func stage() throws -> SparkMLStage {
        try SparkMLStage(name: name, modelURL: sparkTextFixtures.appendingPathComponent(name), schema: nil)
    }

    /// Row `index` as a one-row frame.
    func frame(row index: Int) throws -> Frame {
        try Frame(columns: inputs.enumerated().map { position, input in
            let cell = rows[index][position]
            let isNull = cell is NSNull
            if input.type == "string" { return .strings(input.name, [cell as? String ?? ""], nulls: [isNull]) }
            return .stringLists(input.name, StringLists([cell as? [String] ?? []]), nulls: [isNull])
        })
    }

    /// Differences between row `row` of `frame` and Spark's output for it.
    static func mismatches(_ frame: Frame, row: Int, expected: [String: Any]) -> [String] {
        var problems: [String] = []
        for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let column = frame.column(name) else {
                problems.append("no column '\(name)'")
                continue
            }
            if want is NSNull {
                if !column.isNull(row) { problems.append("\(name): expected null") }
                continue
            }
            if column.isNull(row) {
                problems.append("\(name): null, expected \(want)")
                continue
            }
            switch column.values {
            case .stringLists(let lists):
                // Byte for byte: Swift's [String] == is canonical equivalence, Spark's is not.
                let got = Array(lists.row(row))
                if got.map({ Array($0.utf8) }) != (want as? [String])?.map({ Array($0.utf8) }) {
                    problems.append("\(name): \(got.map(\.debugDescription)) != \(want)")
                }
            case .double(let values):
                // A string indexer's index: exactly Spark's double.
                if (want as? NSNumber)?.doubleValue.bitPattern != values[row].bitPattern {
                    problems.append("\(name): \(values[row]) != \(want)")
                }
            case .vector(let block):
                if let problem = vectorMismatch(Array(block.row(row)), want) { problems.append("\(name): \(problem)") }
            default:
                problems.append("\(name): unexpected column type \(column.type)")
            }
        }
        return problems
    }

    /// Same size; at each of Spark's indices the same value, bit for bit;
    /// zero everywhere else (a dense Spark vector lists every index).
    static func vectorMismatch(_ got: [Double], _ want: Any) -> String? {
        guard let vector = want as? [String: Any], let size = (vector["size"] as? NSNumber)?.intValue,
              let values = (vector["values"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.doubleValue })
        else { return "malformed expected vector \(want)" }
        let indices = vector["indices"].map { (($0 as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.intValue } }
            ?? Array(0..<values.count)
        guard got.count == size else { return "size \(got.count) != \(size)" }
        guard indices.count == values.count else { return "malformed expected vector \(want)" }
        var stored = Set<Int>()
        for (index, value) in zip(indices, values) {
            stored.insert(index)
            guard index < size, got[index].bitPattern == value.bitPattern else {
                return "at \(index): \(index < size ? got[index] : .nan) != \(value)"
            }
        }
        if let extra = got.indices.first(where: { !stored.contains($0) && got[$0] != 0 }) {
            return "at \(extra): \(got[extra]), which Spark does not store (0)"
        }
        return nil
    }
}

/// Runs every fixture row through the stage on its own, as the script ran
/// Spark: refused rows must be refused (invalid input), kept rows equal.
func checkTextAgainstSpark(_ fixture: SparkTextFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let stage = try fixture.stage()
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
        let want = try #require(fixture.expected[index], "row \(index): neither output nor refusal")
        let out = try stage.transformAll(frame)
        let problems = SparkTextFixture.mismatches(out, row: 0, expected: want)
        #expect(problems.isEmpty, "row \(index): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }
}
