import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

let sqlStageFixtures = projectRoot.appendingPathComponent("Tests/Fixtures/sql/stages")

/// SQLTransformer stages inside PipelineModels saved by PySpark 4.3 and 3.5
/// (training/spark_sql.py), run on the rows Spark transformed and compared
/// with Spark's own output: columns, order, types, values, rows the WHERE
/// clause dropped; ANSI (Spark 4 saves) and legacy (Spark 3 saves) semantics.
@Suite struct SQLTransformerTests {
    struct Fixture {
        let json: [String: Any]
        let model: URL

        init(_ name: String) throws {
            model = sqlStageFixtures.appendingPathComponent(name)
            let data = try Data(contentsOf: sqlStageFixtures.appendingPathComponent("\(name).expected.json"))
            json = try #require(try ExactJSON.object(with: data) as? [String: Any])
        }

        func frame() throws -> Frame {
            let columns = try #require(json["columns"] as? [[String: String]])
            let rows = try #require(json["rows"] as? [[Any]])
            return try Frame(columns: columns.enumerated().map { index, column in
                let values = rows.map { $0[index] }
                let nulls = values.map { $0 is NSNull }
                switch column["type"] {
                case "int", "bigint":
                    return Column(name: column["name"] ?? "", type: ColumnType(column["type"] == "int" ? .int : .long),
                                  values: .int(values.map { ($0 as? String).flatMap { Int64($0) } ?? 0 }), nulls: nulls)
                case "double":
                    return .doubles(column["name"] ?? "", values.map { Self.double($0) ?? .nan }, nulls: nulls)
                case "boolean":
                    return Column(name: column["name"] ?? "", type: ColumnType(.boolean),
                                  values: .bool(values.map { ($0 as? NSNumber)?.boolValue ?? false }), nulls: nulls)
                default:
                    return .strings(column["name"] ?? "", values.map { $0 as? String ?? "" }, nulls: nulls)
                }
            })
        }

        static func double(_ value: Any) -> Double? {
            if let text = value as? String { return text == "NaN" ? .nan : text == "Infinity" ? .infinity : text == "-Infinity" ? -.infinity : nil }
            return (value as? NSNumber)?.doubleValue
        }

        /// Nil when `cell` of `column` is Spark's `want`.
        static func mismatch(_ column: Column, _ row: Int, _ want: Any) -> String? {
            if want is NSNull { return column.isNull(row) ? nil : "expected null" }
            if column.isNull(row) { return "null, expected \(want)" }
            switch column.values {
            case .int(let v): return String(v[row]) == want as? String ? nil : "\(v[row]) != \(want)"
            case .double(let v):
                guard let e = double(want) else { return "bad expected \(want)" }
                return NumericTolerance.exact.mismatch(v[row], e)
            case .string(let v): return v[row] == want as? String ? nil : "'\(v[row])' != \(want)"
            case .bool(let v): return (want as? NSNumber)?.boolValue == v[row] ? nil : "\(v[row]) != \(want)"
            case .vector(let block):
                let expected = (want as? [Any] ?? []).compactMap(double)
                let comparison = NumericComparison(Array(block.row(row)), expected, tolerance: .exact)
                return comparison.matches ? nil : comparison.description
            case .stringLists(let lists): return Array(lists.row(row)) == want as? [String] ? nil : "\(Array(lists.row(row))) != \(want)"
            }
        }
    }

    static let names = ["where_case", "star_vector", "nulls_legacy"]
    static let all = names + names.map { "spark-3.5/\($0)" }

    @Test(arguments: all)
    func matchesSparksTransform(name: String) throws {
        let fixture = try Fixture(name)
        let stage = try SparkMLStage(name: "sql", modelURL: fixture.model, schema: nil)
        #expect(stage.stageClasses.contains("org.apache.spark.ml.feature.SQLTransformer"))
        let frame = try fixture.frame()
        if let errorClass = fixture.json["error"] as? String {
            // Spark 4 (ANSI) refuses the batch at its first failing row ('abc' AS INT in row 1, before
            // row 2's division by zero); Conveyor names the same row, the column and Spark's error class.
            let error = try #require(throws: ConveyorError.self) { try stage.transformAll(frame) }
            #expect(error.message.contains("[\(errorClass)]"), "\(error)")
            #expect(error.stage == "sql" && error.row == 1 && error.column == "n", "\(error)")
            return
        }
        let out = try stage.transformAll(frame)
        let columns = try #require(fixture.json["output_columns"] as? [[String: String]])
        #expect(out.columnNames == columns.map { $0["name"] ?? "" })
        for (column, spec) in zip(out.columns, columns) where spec["type"] != "struct<type:tinyint,size:int,indices:array<int>,values:array<double>>" {
            let want = spec["type"] ?? ""
            let got = column.type.isVector ? "vector" : column.type.scalar == .long ? "bigint" : column.type.isList ? "array<string>" : column.type.scalar.rawValue
            #expect(got == want || (want == "vector" && column.type.isVector), "\(name) \(column.name): \(got) vs \(want)")
        }
        let rows = try #require(fixture.json["output"] as? [[Any]])
        #expect(out.rowCount == rows.count, "\(name): \(out.rowCount) rows, Spark kept \(rows.count)")
        for (row, values) in rows.enumerated() where row < out.rowCount {
            for (column, want) in zip(out.columns, values) {
                if let problem = Fixture.mismatch(column, row, want) { Issue.record("\(name) row \(row) \(column.name): \(problem)") }
            }
        }
    }

    /// The same statement saved by Spark 4.3 and by Spark 3.5: ANSI refuses a
    /// division by zero, legacy gives null, each as its Spark did.
    @Test func semanticsFollowTheSavingSparkVersion() throws {
        let ansi = try SparkMLStage(name: "sql", modelURL: try Fixture("nulls_legacy").model, schema: nil)
        let legacy = try SparkMLStage(name: "sql", modelURL: try Fixture("spark-3.5/nulls_legacy").model, schema: nil)
        func flat(_ facts: [Fact]) -> [Fact] { facts.flatMap { [$0] + flat($0.children) } }
        #expect(flat(ansi.facts).contains { $0.label == "sql semantics" && $0.value.hasPrefix("ANSI") })
        #expect(flat(legacy.facts).contains { $0.label == "sql semantics" && $0.value.hasPrefix("legacy") })
        let frame = try Fixture("nulls_legacy").frame()
        #expect(throws: ConveyorError.self) { try ansi.transformAll(frame) }
        let out = try legacy.transformAll(frame)
        #expect(out.column("q")?.isNull(1) == true)
    }
}
