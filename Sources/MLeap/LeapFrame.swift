import ConveyorCore
import Foundation

/// MLeap's LeapFrame JSON, `{"schema": {"fields": [{"name", "type"}]},
/// "rows": [[...], ...]}`, read into a typed frame. Scalar fields (string,
/// double, float, int, long, short, byte, boolean) and lists of strings
/// (`"type": {"type": "list", "base": "string"}`); JSON nulls become
/// column nulls.
public enum LeapFrame {
    public static func read(_ data: Data, source: String = "LeapFrame") throws -> Frame {
        // Requests are bounded by the server's body limits, not the bundle-file limit.
        let json = try JSONValue.parse(data, file: source, maxValues: .max)
        guard let fields = json["schema"]?["fields"]?.array, let rows = json["rows"]?.array else {
            throw ConveyorError(.invalidInput, "'\(source)' is not a LeapFrame: expected schema.fields and rows")
        }
        var columns: [Column] = []
        for (index, field) in fields.enumerated() {
            guard let name = field["name"]?.string else {
                throw ConveyorError(.invalidInput, "'\(source)': field \(index + 1) has no name")
            }
            let typeName = field["type"]?.string ?? field["type"]?["base"]?.string ?? "double"
            let isList = field["type"]?["type"]?.string == "list"
            guard let scalar = ScalarType(schemaName: typeName) else {
                throw ConveyorError(.invalidInput, "'\(source)': field '\(name)' has unsupported type '\(typeName)'")
            }
            let cells = try rows.enumerated().map { rowIndex, row -> JSONValue in
                guard let cells = row.array, index < cells.count else {
                    throw ConveyorError(.invalidInput, "'\(source)': row \(rowIndex + 1) is too short", row: rowIndex + 1)
                }
                return cells[index]
            }
            if isList {
                guard scalar == .string else {
                    throw ConveyorError(.invalidInput, "'\(source)': field '\(name)' is a list of \(typeName); only lists of strings are supported")
                }
                columns.append(try listColumn(name, cells, source: source))
            } else {
                columns.append(try column(name, scalar, cells, source: source))
            }
        }
        var frame = try Frame(columns: columns)
        if columns.isEmpty { frame = Frame(rowCount: rows.count) }
        return frame
    }

    private static func column(_ name: String, _ scalar: ScalarType, _ cells: [JSONValue], source: String) throws
        -> Column
    {
        let nulls = cells.map { $0 == .null }
        func bad(_ row: Int) -> ConveyorError {
            ConveyorError(.invalidInput, "'\(source)': value is not a \(scalar.rawValue)", row: row + 1, column: name)
        }
        switch scalar {
        case .string:
            let values = try cells.enumerated().map { row, cell -> String in
                if cell == .null { return "" }
                guard let text = cell.string else { throw bad(row) }
                return text
            }
            return Column(name: name, type: .string, values: .string(values), nulls: nulls)
        case .boolean:
            let values = try cells.enumerated().map { row, cell -> Bool in
                if cell == .null { return false }
                guard let flag = cell.bool else { throw bad(row) }
                return flag
            }
            return Column(name: name, type: ColumnType(.boolean), values: .bool(values), nulls: nulls)
        case .int, .long, .short, .byte:
            let values = try cells.enumerated().map { row, cell -> Int64 in
                if cell == .null { return 0 }
                guard case .number(let number) = cell, number == number.rounded() else { throw bad(row) }
                return Int64(number)
            }
            return Column(name: name, type: ColumnType(scalar), values: .int(values), nulls: nulls)
        case .double, .float:
            let values = try cells.enumerated().map { row, cell -> Double in
                if cell == .null { return .nan }
                guard case .number(let number) = cell else { throw bad(row) }
                return number
            }
            return Column(name: name, type: ColumnType(scalar), values: .double(values), nulls: nulls)
        }
    }

    private static func listColumn(_ name: String, _ cells: [JSONValue], source: String) throws -> Column {
        var lists = StringLists()
        for (row, cell) in cells.enumerated() {
            if cell == .null {
                lists.endRow()
                continue
            }
            guard let items = cell.array else {
                throw ConveyorError(.invalidInput, "'\(source)': value is not a list of strings", row: row + 1, column: name)
            }
            for item in items {
                guard let text = item.string else {
                    throw ConveyorError(
                        .invalidInput, "'\(source)': list element is not a string", row: row + 1, column: name)
                }
                lists.appendElement(text)
            }
            lists.endRow()
        }
        return .stringLists(name, lists, nulls: cells.map { $0 == .null })
    }
}
