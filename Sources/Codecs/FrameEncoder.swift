import ConveyorCore

/// Writes chosen columns of a frame as a response body.
///
/// - `text/csv`: one LF-terminated line per row; vectors spread over
///   several fields; null is an empty field.
/// - `application/json`: `{"predictions": [{"col": value, …}, …]}`, the
///   XGBoost container's shape; NaN and ±Inf are `null`.
/// - `application/jsonlines`: one `{"col": value, …}` per line.
///
/// Numbers are shortest round-trip text; `.float` columns print the
/// Float's shortest form.
public struct FrameEncoder: Sendable {
    public init() {}

    /// Why a CSV response cannot carry explanations (also thrown before any
    /// work by callers that know the response type up front).
    public static let explanationsNeedJSON = ConveyorError(
        .unsupportedAccept, "explanations need application/jsonlines or application/json responses: CSV has no place for them")

    /// Throws `.invalidInput` naming a column the frame does not have. With
    /// an `explanation` (one per row), each JSON row carries its own under
    /// `"explanation"`; CSV has no place for one.
    public func encode(_ frame: Frame, columns: [String], as type: MediaType,
                       explanation: Explanation? = nil) throws -> [UInt8] {
        let cells = try columns.indices.map { CellSource(try frame.require(columns[$0], at: $0)) }
        if let explanation {
            guard type == .json || type == .jsonLines else { throw Self.explanationsNeedJSON }
            precondition(explanation.rowCount == frame.rowCount, "one explanation per row")
        }
        if type == .csv || type == .tsv, let list = cells.first(where: \.isList) {
            throw ConveyorError(
                .unsupportedAccept,
                "\(type == .csv ? "CSV" : "TSV") cannot carry '\(list.name)', a list of strings per row; accept application/json or "
                    + "application/jsonlines", column: list.name)
        }
        switch type {
        case .csv: return encodeCSV(cells, rows: frame.rowCount)
        case .tsv: return try encodeTSV(cells, rows: frame.rowCount)
        case .arrowStream: return try ArrowStream.encode(try columns.indices.map { try frame.require(columns[$0], at: $0) },
                                                         rows: frame.rowCount)
        case .json: return encodeJSON(cells, rows: frame.rowCount, lines: false, explanation: explanation)
        case .jsonLines: return encodeJSON(cells, rows: frame.rowCount, lines: true, explanation: explanation)
        }
    }

    private func encodeCSV(_ cells: [CellSource], rows: Int) -> [UInt8] {
        // About 12 bytes a field (a Float's digits and a comma): one allocation, mostly.
        let fields = cells.reduce(0) { $0 + $1.fieldCount }
        var writer = ByteWriter(capacity: rows * (fields * 12 + 1))
        // Cells used without retaining: `cells` holds them for the whole
        // loop, and a retain and release per cell was 2 % of a Spark call.
        // (On the stack: an array of them was one more allocation per call.)
        withExtendedLifetime(cells) {
            withUnsafeTemporaryAllocation(of: Unmanaged<CellSource>.self, capacity: cells.count) { references in
                for index in cells.indices { references.initializeElement(at: index, to: .passUnretained(cells[index])) }
                for row in 0..<rows {
                    for index in references.indices {
                        if index > 0 { writer.append(.comma) }
                        references[index]._withUnsafeGuaranteedRef { $0.writeCSV(row: row, into: &writer) }
                    }
                    writer.append(.lf)
                }
            }
        }
        return writer.bytes
    }

    private func encodeJSON(_ cells: [CellSource], rows: Int, lines: Bool, explanation: Explanation?) -> [UInt8] {
        // Keys are escaped once, not once per row.
        let keys: [[UInt8]] = cells.map { cell in
            var key = ByteWriter()
            key.appendJSONString(cell.name)
            key.append(UInt8(ascii: ":"))
            return key.bytes
        }
        var writer = ByteWriter(capacity: rows * cells.count * 16 + 32)
        if !lines { writer.append("{\"predictions\":[") }
        for row in 0..<rows {
            if !lines && row > 0 { writer.append(.comma) }
            writer.append(UInt8(ascii: "{"))
            for (index, cell) in cells.enumerated() {
                if index > 0 { writer.append(.comma) }
                writer.append(bytes: keys[index])
                cell.writeJSON(row: row, into: &writer)
            }
            if let explanation {
                if !cells.isEmpty { writer.append(.comma) }
                writer.append("\"explanation\":")
                explanation.writeJSON(row: row, into: &writer)
            }
            writer.append(UInt8(ascii: "}"))
            if lines { writer.append(.lf) }
        }
        if !lines { writer.append("]}") }
        return writer.bytes
    }
}

/// One column's values, unwrapped once so the per-cell work is a switch
/// on a small enum and a formatted append. A class, so that a cell is
/// written by reference: as a struct, every cell's write began with a copy
/// of it (retaining its name and arrays) and ended with its release, 5 %
/// of a Spark call at 1,728 rows. One allocation per column and call buys that.
final class CellSource {
    enum Values {
        case double([Double])
        case float([Double])
        case int([Int64])
        case bool([Bool])
        case string(TextValues)
        /// Row-major doubles, `width` per row.
        case vector([Double], width: Int, float: Bool)
        case stringLists(StringLists)
    }

    let name: String
    let values: Values
    let nulls: [Bool]?

    init(_ column: Column) {
        name = column.name
        nulls = column.nulls
        let isFloat = column.type.scalar == .float
        switch column.values {
        case .double(let v): values = isFloat ? .float(v) : .double(v)
        case .int(let v): values = .int(v)
        case .bool(let v): values = .bool(v)
        case .string(let v): values = .string(v)
        // Unwrapped once: cells read a vector's values per row (and a float32 block widens on each read).
        case .vector(let block): values = .vector(block.storage, width: block.width, float: isFloat)
        case .stringLists(let lists): values = .stringLists(lists)
        }
    }

    var isList: Bool {
        if case .stringLists = values { return true }
        return false
    }

    /// Fields per CSV row.
    var fieldCount: Int {
        if case .vector(_, let width, _) = values { return width }
        return 1
    }

    func writeCSV(row: Int, into writer: inout ByteWriter) {
        if let nulls, nulls[row] {
            // A null vector still fills its fields, so columns stay aligned.
            if case .vector(_, let width, _) = values, width > 1 {
                for _ in 1..<width { writer.append(.comma) }
            }
            return
        }
        switch values {
        case .double(let v): writer.appendDouble(v[row])
        case .float(let v): writer.appendFloat(Float(v[row]))
        case .int(let v): writer.appendInt(v[row])
        case .bool(let v): writer.append(v[row] ? "true" : "false")
        case .string(let v): v.withUTF8(row) { writer.appendCSVString($0) }
        case .vector(let vectors, let width, let float):
            let base = row * width
            if !float {
                return vectors.withUnsafeBufferPointer { storage in
                    writer.appendDoubles(UnsafeBufferPointer(rebasing: storage[base..<(base + width)]), separator: .comma)
                }
            }
            for index in 0..<width {
                if index > 0 { writer.append(.comma) }
                writer.appendFloat(Float(vectors[base + index]))
            }
        case .stringLists:
            preconditionFailure("list columns are refused for CSV before encoding")
        }
    }

    func writeJSON(row: Int, into writer: inout ByteWriter) {
        if let nulls, nulls[row] { return writer.append("null") }
        switch values {
        case .double(let v): Self.writeJSONNumber(v[row], float: false, into: &writer)
        case .float(let v): Self.writeJSONNumber(v[row], float: true, into: &writer)
        case .int(let v): writer.appendInt(v[row])
        case .bool(let v): writer.append(v[row] ? "true" : "false")
        case .string(let v): writer.appendJSONString(v[row])
        case .vector(let vectors, let width, let float):
            writer.append(UInt8(ascii: "["))
            let base = row * width
            for index in 0..<width {
                if index > 0 { writer.append(.comma) }
                Self.writeJSONNumber(vectors[base + index], float: float, into: &writer)
            }
            writer.append(UInt8(ascii: "]"))
        case .stringLists(let lists):
            writer.append(UInt8(ascii: "["))
            for (index, element) in lists.row(row).enumerated() {
                if index > 0 { writer.append(.comma) }
                writer.appendJSONString(element)
            }
            writer.append(UInt8(ascii: "]"))
        }
    }

    /// JSON has no NaN or infinity: they are written as null.
    static func writeJSONNumber(_ value: Double, float: Bool, into writer: inout ByteWriter) {
        if float {
            let narrow = Float(value)
            guard narrow.isFinite else { return writer.append("null") }
            writer.appendFloat(narrow)
        } else {
            guard value.isFinite else { return writer.append("null") }
            writer.appendDouble(value)
        }
    }
}
