import ConveyorCore

extension InferenceProtocol {
    /// Writes `{"model_name", "model_version", "id"?, "outputs": [tensors]}`:
    /// one tensor per chosen column, named after it, `data` flat in row-major
    /// order. Scalars are `[N]`, vectors `[N, k]`; NaN and ±Inf are `null`
    /// (JSON has neither), as in the JSON codec.
    public struct ResponseEncoder: Sendable {
        public init() {}

        /// Throws `.unsupportedAccept` for a list-of-strings column (no
        /// tensor carries one) and `.invalidInput` for a column the frame lacks.
        public func encode(_ frame: Frame, columns: [String], modelName: String, modelVersion: String?,
                           id: String?) throws -> [UInt8] {
            let chosen = try columns.map { try frame.require($0) }
            if let list = chosen.first(where: \.type.isList) {
                throw ConveyorError(
                    .unsupportedAccept,
                    "output '\(list.name)' is a list of strings per row, which a tensor cannot carry; leave it out of "
                        + "'outputs', or ask /invocations for application/json",
                    column: list.name)
            }
            let rows = frame.rowCount
            var writer = ByteWriter(capacity: rows * chosen.count * 16 + 128)
            writer.append("{\"model_name\":")
            writer.appendJSONString(modelName)
            if let modelVersion {
                writer.append(",\"model_version\":")
                writer.appendJSONString(modelVersion)
            }
            if let id {
                writer.append(",\"id\":")
                writer.appendJSONString(id)
            }
            writer.append(",\"outputs\":[")
            for (index, column) in chosen.enumerated() {
                if index > 0 { writer.append(.comma) }
                write(column, rows: rows, into: &writer)
            }
            writer.append("]}")
            return writer.bytes
        }

        private func write(_ column: Column, rows: Int, into writer: inout ByteWriter) {
            var metadata = TensorMetadata(column.spec)
            let cells = CellSource(column)
            if case .vector(let vectors, let width, let float) = cells.values {
                metadata.shape = [rows, width]
                metadata.datatype = float ? .fp32 : .fp64
                writeHead(metadata, into: &writer)
                for row in 0..<rows {
                    let isNull = column.isNull(row)
                    for element in 0..<width {
                        if row > 0 || element > 0 { writer.append(.comma) }
                        if isNull { writer.append("null"); continue }
                        CellSource.writeJSONNumber(vectors[row * width + element], float: float, into: &writer)
                    }
                }
            } else {
                metadata.shape = [rows]
                writeHead(metadata, into: &writer)
                for row in 0..<rows {
                    if row > 0 { writer.append(.comma) }
                    cells.writeJSON(row: row, into: &writer)
                }
            }
            writer.append("]}")
        }

        /// `{"name":…,"datatype":…,"shape":[…],"data":[` (the caller closes it).
        private func writeHead(_ metadata: TensorMetadata, into writer: inout ByteWriter) {
            writer.append("{\"name\":")
            writer.appendJSONString(metadata.name)
            writer.append(",\"datatype\":\"")
            writer.append(utf8: metadata.datatype.rawValue)
            writer.append("\",\"shape\":")
            writeShape(metadata.shape, into: &writer)
            writer.append(",\"data\":[")
        }
    }
}
