import ConveyorCore
import ConveyorTestSupport
import Foundation

/// Values as training/spark_sql.py writes them: integers as decimal strings,
/// doubles as numbers or "NaN"/"Infinity"/"-Infinity", strings, booleans,
/// arrays of strings, null.
enum SQLFixtureValues {
    static func double(_ value: Any) -> Double? {
        if let text = value as? String {
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return Double(text)
            }
        }
        return (value as? NSNumber)?.doubleValue
    }

    /// A frame column of Spark type `type` from fixture values.
    static func column(_ name: String, type: String, _ values: [Any]) throws -> Column {
        let nulls = values.map { $0 is NSNull }
        switch type {
        case "int", "bigint":
            let ints = values.map { ($0 as? String).flatMap { Int64($0) } ?? 0 }
            return Column(name: name, type: ColumnType(type == "int" ? .int : .long), values: .int(ints), nulls: nulls)
        case "double":
            return Column(name: name, type: .double, values: .double(values.map { double($0) ?? .nan }), nulls: nulls)
        case "string":
            return Column(name: name, type: .string, values: .string(values.map { $0 as? String ?? "" }), nulls: nulls)
        case "boolean":
            return Column(name: name, type: ColumnType(.boolean), values: .bool(values.map { ($0 as? NSNumber)?.boolValue ?? false }),
                          nulls: nulls)
        default:
            throw ConveyorError(.internal, "fixture column type \(type)")
        }
    }

    /// Spark's `simpleString` of a column type.
    static func sparkName(_ type: ColumnType) -> String {
        switch (type.shape, type.scalar) {
        case (.list, .string): return "array<string>"
        case (.scalar, .int): return "int"
        case (.scalar, .long): return "bigint"
        case (.scalar, .boolean): return "boolean"
        case (.scalar, let scalar): return scalar.rawValue
        default: return type.description
        }
    }

    /// Nil when row `row` of `column` is Spark's `expected`, else why not.
    static func compare(_ column: Column, row: Int, expected: Any, type: String, tolerance: NumericTolerance) -> String? {
        if expected is NSNull { return column.isNull(row) ? nil : "got \(describe(column, row)), Spark gives null" }
        if column.isNull(row) { return "got null, Spark gives \(expected)" }
        switch (column.values, type) {
        case (.int(let v), "int"), (.int(let v), "bigint"):
            return String(v[row]) == expected as? String ? nil : "got \(v[row]), Spark gives \(expected)"
        case (.double(let v), "double"):
            guard let e = double(expected) else { return "bad expected \(expected)" }
            return tolerance.mismatch(v[row], e).map { "got \(v[row]), Spark gives \(e): \($0)" }
        case (.string(let v), "string"):
            guard let e = expected as? String else { return "bad expected \(expected)" }
            return v[row].utf8.elementsEqual(e.utf8) ? nil : "got '\(v[row])', Spark gives '\(e)'"
        case (.bool(let v), "boolean"):
            return (expected as? NSNumber)?.boolValue == v[row] ? nil : "got \(v[row]), Spark gives \(expected)"
        case (.stringLists(let lists), "array<string>"):
            let got = Array(lists.row(row))
            guard let e = expected as? [Any] else { return "bad expected \(expected)" }
            let want = e.map { $0 as? String ?? "<null>" }
            return got.count == want.count && zip(got, want).allSatisfy({ $0.utf8.elementsEqual($1.utf8) })
                ? nil : "got \(got), Spark gives \(want)"
        default:
            return "got a \(column.type) column, Spark gives \(type)"
        }
    }

    static func describe(_ column: Column, _ row: Int) -> String {
        switch column.values {
        case .int(let v): return "\(v[row])"
        case .double(let v): return "\(v[row])"
        case .string(let v): return "'\(v[row])'"
        case .bool(let v): return "\(v[row])"
        case .stringLists(let v): return "\(Array(v.row(row)))"
        case .vector: return "a vector"
        }
    }
}
