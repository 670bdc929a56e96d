import ConveyorCore

/// Spark's StringIndexerModel: each input column's value → its index in
/// that column's fitted labels (kept in their fitted order, so every
/// stringOrderType reads the same way; a repeated label's first index wins),
/// matched byte for byte as Spark's `String.equals` does (`UTF8Index`).
/// Numeric and boolean inputs are looked up as Spark casts them to strings.
/// A null or unseen value: error, skip (drop the row) or keep (index =
/// number of labels).
public struct StringIndexer: Kernel {
    public let inputs: [String]
    public let outputs: [String]
    public let labels: [[String]]
    public let handleInvalid: HandleInvalid
    let lookups: [UTF8Index]

    /// One label list per input/output pair.
    public init(inputs: [String], outputs: [String], labels: [[String]], handleInvalid: HandleInvalid) {
        precondition(inputs.count == labels.count && outputs.count == labels.count)
        self.inputs = inputs
        self.outputs = outputs
        self.labels = labels
        self.handleInvalid = handleInvalid
        lookups = labels.map { UTF8Index($0) }
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var filter = RowFilter(rows: frame.rowCount)
        var results: [Column] = []
        results.reserveCapacity(inputs.count)
        for index in inputs.indices {
            let input = inputs[index]
            let column = try frame.require(input, stage: stage)
            let texts = try SparkStrings.texts(column, stage: stage)
            let lookup = lookups[index]
            let nulls = column.nulls
            let unknown = Double(labels[index].count)
            var out = [Double](repeating: 0, count: texts.count)
            try texts.forEachUTF8WithHead { row, bytes, head in
                if nulls?[row] != true, let found = lookup.index(ofUTF8: bytes, head: head) {
                    out[row] = Double(found)
                    return
                }
                switch handleInvalid {
                case .keep: out[row] = unknown
                case .skip: filter.drop(row)
                case .error:
                    let what = nulls?[row] == true ? "null value" : "unseen label '\(texts[row])'"
                    throw invalidRow("\(what) in column '\(input)' (handle_invalid=error)", frame, row: row,
                                     column: input, stage: stage)
                }
            }
            results.append(.doubles(outputs[index], out))
        }
        for column in results { try frame.put(column) }
        filter.apply(to: &frame)
    }
}
