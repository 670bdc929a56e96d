import ConveyorCore

extension Explanation {
    /// One row's explanation as a JSON object:
    /// `{"stage": …, "method": "tree_shap", "space": "margin", "outputs": […],
    ///   "base": [one per output], "columns": {"<column>": [one per output], …}}`.
    func writeJSON(row: Int, into writer: inout ByteWriter) {
        writer.append("{\"stage\":")
        writer.appendJSONString(stage)
        writer.append(",\"method\":")
        writer.appendJSONString(method)
        writer.append(",\"space\":")
        writer.appendJSONString(space)
        writer.append(",\"outputs\":[")
        for (index, output) in outputs.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendJSONString(output)
        }
        writer.append("],\"base\":")
        Self.writeNumbers(base(row: row), into: &writer)
        writer.append(",\"columns\":{")
        for (index, column) in columns.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendJSONString(column)
            writer.append(UInt8(ascii: ":"))
            Self.writeNumbers(attribution(row: row, column: index), into: &writer)
        }
        writer.append("}}")
    }

    static func writeNumbers(_ values: ArraySlice<Double>, into writer: inout ByteWriter) {
        writer.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendDouble(value)
        }
        writer.append(UInt8(ascii: "]"))
    }
}
