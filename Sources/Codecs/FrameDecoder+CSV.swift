import ConveyorCore

extension FrameDecoder {
    /// `text/csv`: no header row, fields in input order. A vector column
    /// takes the fields the scalars leave (all of them for a lone vector
    /// input: a raw XGBoost row). An empty unquoted field is null; `""` is
    /// the empty string (null for non-string columns).
    func decodeCSV(_ body: UnsafeRawBufferPointer) throws -> Frame {
        try decodeDelimited(CSVScanner(body), bytes: body.count, format: "CSV")
    }

    /// `text/tab-separated-values` as Spark SQL's `TRANSFORM … USING` writes
    /// rows: the same layout as CSV, with `\t` between fields, `\n` after
    /// each row, `\N` for null and no quoting.
    func decodeTSV(_ body: UnsafeRawBufferPointer) throws -> Frame {
        try decodeDelimited(TSVScanner(body), bytes: body.count, format: "TSV")
    }

    /// CSV and TSV rows: fields in input order, vectors spread over fields.
    private func decodeDelimited<Scanner: DelimitedScanner>(_ scanner: Scanner, bytes: Int, format: String) throws -> Frame {
        var scanner = scanner
        guard !scanner.isEmpty else { throw Self.emptyBody() }
        let specs = inputs
        if let list = specs.first(where: \.type.isList) {
            throw ConveyorError(
                .invalidInput,
                "\(format) cannot carry '\(list.name)', a list of strings per row; send application/json or "
                    + "application/jsonlines with a JSON array of strings", column: list.name)
        }
        let flexible = specs.indices.filter { specs[$0].type.isVector && specs[$0].type.vectorWidth == nil }
        guard flexible.count <= 1 else {
            throw ConveyorError(
                .invalidInput,
                "\(format) cannot split a row between vector columns of unknown width: "
                    + flexible.map { specs[$0].name }.joined(separator: ", "))
        }
        // Fields taken by everything but the flexible vector.
        let fixedCount = specs.reduce(0) { count, spec in
            spec.type.isVector ? count + (spec.type.vectorWidth ?? 0) : count + 1
        }
        // Guess rows from the size so arrays rarely regrow.
        let capacity = min(bytes / max(2 * fixedCount, 2) + 1, 1 << 20)
        var builders = specs.map { ColumnBuilder(spec: $0, capacity: capacity) }
        var fields = FieldBuffer(capacity: fixedCount + 16)
        var scratch: [UInt8] = []

        // Builders written in place: indexing the array checked its
        // uniqueness on every field.
        try builders.withUnsafeMutableBufferPointer { builders in
            while try scanner.nextRecord(into: &fields) {
                let row = scanner.record
                var flexibleWidth = 0
                if let index = flexible.first {
                    flexibleWidth = builders[index].width ?? max(fields.count - fixedCount, 1)
                }
                guard fields.count == fixedCount + flexibleWidth else {
                    let widths = builders.map(\.width)
                    throw ConveyorError(
                        .invalidInput,
                        "has \(fields.count) field\(fields.count == 1 ? "" : "s"), expected "
                            + "\(flexible.isEmpty || builders[flexible[0]].width != nil ? "" : "at least ")"
                            + "\(fixedCount + flexibleWidth): \(Self.layout(specs, widths: widths))",
                        row: row)
                }
                var next = 0
                for column in builders.indices {
                    if builders[column].isVector {
                        let width = builders[column].width ?? flexibleWidth
                        try builders[column].beginVector(count: width, row: row)
                        for element in 0..<width {
                            // A null element is missing (NaN), as an empty one is.
                            if scanner.isNull(fields[next + element]) {
                                builders[column].appendElement(.nan)
                                continue
                            }
                            try scanner.withContent(of: fields[next + element], scratch: &scratch) {
                                try builders[column].appendElement($0, index: element, row: row)
                            }
                        }
                        next += width
                    } else {
                        let field = fields[next]
                        if scanner.isNull(field) {
                            builders[column].appendNull()
                        } else {
                            try scanner.withContent(of: field, scratch: &scratch) {
                                try builders[column].appendText($0, row: row)
                            }
                        }
                        next += 1
                    }
                }
            }
        }
        return try frame(from: consume builders, rows: scanner.record)
    }
}
