import ConveyorCore

extension FrameDecoder {
    /// `application/json`: one document holding all rows (see `JSONRowReader`).
    func decodeJSON(_ body: UnsafeRawBufferPointer) throws -> Request {
        guard !Self.isBlank(body) else { throw Self.emptyBody() }
        var parser = JSONParser(body)
        let document = try parser.parseDocument()
        let schema = try Self.requestSchema(in: document)
        var reader = JSONRowReader(specs: schema?.input.map(\.spec) ?? inputs)
        try reader.appendDocument(document)
        return Request(frame: try frame(from: reader.builders, rows: reader.count), schema: schema)
    }

    /// `application/jsonlines`: one document per line, each a row or a
    /// `{"data": …}` of rows. Only the first line may carry a `schema`
    /// (later lines may repeat it unchanged). Errors name the line.
    func decodeJSONLines(_ body: UnsafeRawBufferPointer) throws -> Request {
        var reader: JSONRowReader?
        var schema: Schema?
        var lineNumber = 0
        var start = 0
        while start < body.count {
            var end = start
            while end < body.count, body[end] != .lf { end += 1 }
            lineNumber += 1
            let line = UnsafeRawBufferPointer(rebasing: body[start..<end])
            start = end + 1
            guard !Self.isBlank(line) else { continue }
            do {
                var parser = JSONParser(line)
                let document = try parser.parseDocument()
                let lineSchema = try Self.requestSchema(in: document)
                if reader == nil {
                    schema = lineSchema
                    reader = JSONRowReader(specs: schema?.input.map(\.spec) ?? inputs)
                } else if let lineSchema, lineSchema != schema {
                    throw ConveyorError(.invalidInput, "only the first line may set the schema")
                }
                try reader!.appendDocument(document)
            } catch var error as ConveyorError {
                error.message = "line \(lineNumber): " + error.message
                throw error
            }
        }
        guard let reader else { throw Self.emptyBody() }
        return Request(frame: try frame(from: reader.builders, rows: reader.count), schema: schema)
    }

    /// The `schema` member of a request object, if present and not null.
    static func requestSchema(in document: JSONValue) throws -> Schema? {
        guard let json = document["schema"], json != .null else { return nil }
        // `{"schema": …, "data": …}` only: an object row may have a column named schema.
        guard document["data"] != nil || JSONRowReader.rowList(in: document) != nil else { return nil }
        return try Schema(json: json)
    }

    /// Only JSON whitespace.
    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy(RecordSplitter.isBlank)
    }
}
