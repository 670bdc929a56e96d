import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing

@testable import Operators

let sqlFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/sql")

/// Tests/Fixtures/sql/catalogue.json (training/spark_sql.py): every expression
/// evaluated by PySpark 4.3's SQLTransformer on edge rows, in ANSI and in legacy
/// mode. Each row is run on its own, so a row Spark refused (ANSI) must be
/// refused with Spark's error class and the other rows must equal Spark's values;
/// a statement Spark refused at analysis must be refused at load.
@Suite struct SQLCatalogueTests {
    struct Catalogue {
        let json: [String: Any]
        let frame: Frame

        init() throws {
            let data = try Data(contentsOf: sqlFixtures.appendingPathComponent("catalogue.json"))
            json = try #require(try ExactJSON.object(with: data) as? [String: Any])
            let columns = try #require(json["columns"] as? [[String: String]])
            let rows = try #require(json["rows"] as? [[Any]])
            frame = try Frame(columns: columns.enumerated().map { index, column in
                try SQLFixtureValues.column(column["name"] ?? "", type: column["type"] ?? "", rows.map { $0[index] })
            })
        }

        var expressions: [[String: Any]] { json["expressions"] as? [[String: Any]] ?? [] }
        var wheres: [[String: Any]] { json["where"] as? [[String: Any]] ?? [] }
    }

    /// Transcendental functions: Spark calls StrictMath (fdlibm), Swift glibc; they may differ in the last bit.
    static func tolerance(_ sql: String) -> NumericTolerance {
        let approximate = ["log", "ln(", "exp(", "pow", "sqrt"].contains { sql.lowercased().contains($0) }
        return approximate ? .relative(1e-15) : .exact
    }

    /// Nil when the engine agrees with Spark on this expression in this mode, else why not.
    static func mismatch(_ sql: String, expected: [String: Any], ansi: Bool, frame: Frame) -> String? {
        let statement = "SELECT \(sql) AS r FROM __THIS__"
        let types = Dictionary(uniqueKeysWithValues: frame.columns.map { ($0.name, $0.type) })
        if let errorClass = expected["analysis_error"] {
            do {
                let transform = try SQLTransform(statement: statement, ansi: ansi)
                let outputs = try transform.outputs(given: types)
                return "Spark refuses it (\(errorClass)); Conveyor loads it as \(outputs)"
            } catch {
                return nil
            }
        }
        guard let typeName = expected["type"] as? String, let values = expected["values"] as? [Any] else { return "bad fixture" }
        let transform: SQLTransform
        do {
            transform = try SQLTransform(statement: statement, ansi: ansi)
            let outputs = try transform.outputs(given: types)
            guard outputs.count == 1, SQLFixtureValues.sparkName(outputs[0].type) == typeName else {
                return "type \(outputs.map { SQLFixtureValues.sparkName($0.type) }), Spark's is \(typeName)"
            }
        } catch {
            return "refused at load (\(error)); Spark gives \(typeName)"
        }
        for (row, value) in values.enumerated() {
            let one = frame.filtered(keeping: (0..<frame.rowCount).map { $0 == row })
            if let error = value as? [String: Any], let errorClass = error["error"] as? String {
                do {
                    _ = try transform.transform(one, stage: "sql")
                    return "row \(row): Spark raises \(errorClass), Conveyor does not"
                } catch {
                    guard "\(error)".contains("[\(errorClass)]") else { return "row \(row): \(error), Spark raises \(errorClass)" }
                    guard let conveyor = error as? ConveyorError, conveyor.row == row + 1, conveyor.column == "r" else {
                        return "row \(row): the error does not name row \(row + 1) and column 'r': \(error)"
                    }
                }
                continue
            }
            do {
                let out = try transform.transform(one, stage: "sql")
                let column = try #require(out.column("r"))
                if let problem = SQLFixtureValues.compare(column, row: 0, expected: value, type: typeName, tolerance: tolerance(sql)) {
                    return "row \(row): \(problem)"
                }
            } catch {
                return "row \(row): \(error); Spark gives \(value)"
            }
        }
        return nil
    }

    @Test func catalogueMatchesSparkInANSIAndLegacyMode() throws {
        let catalogue = try Catalogue()
        #expect(catalogue.expressions.count >= 150)
        var failures: [String] = []
        var passed = 0
        for entry in catalogue.expressions {
            let sql = try #require(entry["sql"] as? String)
            for (mode, ansi) in [("ansi", true), ("legacy", false)] {
                let expected = try #require(entry[mode] as? [String: Any])
                if let problem = Self.mismatch(sql, expected: expected, ansi: ansi, frame: catalogue.frame) {
                    failures.append("\(mode) \(sql): \(problem)")
                } else {
                    passed += 1
                }
            }
        }
        print("SQL catalogue: \(passed) of \(catalogue.expressions.count * 2) expression-modes match Spark")
        let report = "\(failures.count) mismatches:\n" + failures.joined(separator: "\n")
        #expect(failures.isEmpty, "\(report)")
    }

    @Test func whereKeepsTheRowsSparkKeeps() throws {
        let catalogue = try Catalogue()
        #expect(!catalogue.wheres.isEmpty)
        for entry in catalogue.wheres {
            let sql = try #require(entry["sql"] as? String)
            for (mode, ansi) in [("ansi", true), ("legacy", false)] {
                let expected = try #require(entry[mode] as? [String: Any])
                let transform = try SQLTransform(statement: sql, ansi: ansi)
                if let errorClass = expected["error"] as? String {
                    #expect(throws: ConveyorError.self, "\(mode) \(sql) raises \(errorClass) in Spark") {
                        _ = try transform.transform(catalogue.frame, stage: "sql")
                    }
                    continue
                }
                let ids = try #require(expected["values"] as? [String]).compactMap { Int64($0) }
                let out = try transform.transform(catalogue.frame, stage: "sql")
                guard case .int(let kept)? = out.column("id")?.values else { Issue.record("no id column"); continue }
                #expect(kept == ids, "\(mode) \(sql)")
                // The rows kept still carry their input row numbers (for later errors).
                #expect(out.rowNumbers == ids.map { Int($0) }, "\(mode) \(sql)")
            }
        }
    }
}
