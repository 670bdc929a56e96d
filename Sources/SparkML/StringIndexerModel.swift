import ConveyorCore

/// `StringIndexerModel`: strings to label indices (single or multi-column).
/// Labels are stored in their fitted order, so every stringOrderType reads
/// the same way. Nulls and unseen labels: error, skip (drop the row) or keep
/// (index = number of labels).
struct StringIndexerModel: SparkTransformer {
    let metadata: SparkMetadata
    let pairs: [(input: String, output: String)]
    let labels: [[String]]
    let lookup: [[String: Double]]
    let handleInvalid: HandleInvalid

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        pairs = try metadata.columnPairs()
        handleInvalid = try HandleInvalid(metadata)
        let row = try dir.singleRow()
        if let arrays = row["labelsArray"]?.list {
            labels = try arrays.map { list in
                try (list.list ?? []).map { try metadata.require($0.string, "labelsArray element") }
            }
        } else if let single = row["labels"]?.list {  // Spark 2.x layout
            labels = [try single.map { try metadata.require($0.string, "labels element") }]
        } else {
            throw metadata.failure("data has neither 'labelsArray' nor 'labels'")
        }
        guard labels.count == pairs.count else {
            throw metadata.failure("\(pairs.count) input columns but \(labels.count) label lists")
        }
        lookup = labels.map { list in
            var map: [String: Double] = [:]
            for (index, label) in list.enumerated() where map[label] == nil { map[label] = Double(index) }
            return map
        }
    }

    var inputs: [ColumnSpec] { pairs.map { ColumnSpec($0.input, .string) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        pairs.map { ColumnSpec($0.output, .double) }
    }

    var dataFacts: [Fact] {
        zip(pairs, labels).map { Fact("labels of \($0.input)", "\($1.count): " + $1.prefix(10).joined(separator: ", ") + ($1.count > 10 ? ", …" : "")) }
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var indices: [[Double?]] = []
        var keep = [Bool](repeating: true, count: frame.rowCount)
        for (position, pair) in pairs.enumerated() {
            let column = try frame.require(pair.input, stage: stage)
            let texts: [String?]
            if case .string = column.values {
                texts = column.optionalStrings()
            } else {
                // Spark casts numeric input to string before the lookup.
                texts = try column.optionalDoubles(stage: stage).map { $0.map(sparkString) }
            }
            var out: [Double?] = []
            out.reserveCapacity(frame.rowCount)
            for (row, text) in texts.enumerated() {
                if let text, let index = lookup[position][text] {
                    out.append(index)
                    continue
                }
                switch handleInvalid {
                case .keep: out.append(Double(labels[position].count))
                case .skip:
                    keep[row] = false
                    out.append(nil)
                case .error:
                    throw ConveyorError(
                        .invalidInput,
                        text.map { "unseen label '\($0)' (StringIndexer handleInvalid=error)" }
                            ?? "null value (StringIndexer handleInvalid=error)",
                        stage: stage, row: frame.inputRow(row), column: pair.input)
                }
            }
            indices.append(out)
        }
        var result = frame
        for (pair, values) in zip(pairs, indices) { try result.put(Columns.doubles(pair.output, values)) }
        return keep.allSatisfy { $0 } ? result : result.filtered(keeping: keep)
    }
}
