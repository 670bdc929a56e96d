import ConveyorCore

extension FrameEncoder {
    /// `text/tab-separated-values` as Spark SQL's `TRANSFORM` reads a
    /// script's output: `\t` between fields, `\n` after each row, `\N` for
    /// null, vectors spread over fields. Nothing is escaped (Spark does not
    /// unescape), so a string holding a tab or line break is refused.
    func encodeTSV(_ cells: [CellSource], rows: Int) throws -> [UInt8] {
        var writer = ByteWriter(capacity: rows * cells.count * 8)
        for row in 0..<rows {
            for (index, cell) in cells.enumerated() {
                if index > 0 { writer.append(.tab) }
                try cell.writeTSV(row: row, into: &writer)
            }
            writer.append(.lf)
        }
        return writer.bytes
    }
}

extension CellSource {
    func writeTSV(row: Int, into writer: inout ByteWriter) throws {
        if let nulls, nulls[row] {
            // A null vector fills its fields with nulls, so columns stay aligned.
            let width: Int
            if case .vector(_, let vectorWidth, _) = values { width = max(vectorWidth, 1) } else { width = 1 }
            for index in 0..<width {
                if index > 0 { writer.append(.tab) }
                writer.append("\\N")
            }
            return
        }
        switch values {
        case .string(let v):
            let value = v[row]
            if value.utf8.contains(where: { $0 == .tab || $0 == .soh || $0 == .lf || $0 == .cr }) {
                throw ConveyorError(
                    .unsupportedAccept, "a TSV field cannot hold a tab, U+0001 or a line break (Spark's TRANSFORM does not escape them); "
                        + "accept application/jsonlines", row: row + 1, column: name)
            }
            writer.append(utf8: value)
        case .vector(let vectors, let width, let float):
            let base = row * width
            for index in 0..<width {
                if index > 0 { writer.append(.tab) }
                let value = vectors[base + index]
                if float { writer.appendFloat(Float(value)) } else { writer.appendDouble(value) }
            }
        default:
            // Numbers and booleans print as in CSV (no quoting is ever needed for them).
            writeCSV(row: row, into: &writer)
        }
    }
}
