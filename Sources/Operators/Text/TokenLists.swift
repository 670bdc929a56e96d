import ConveyorCore

/// The list-to-list text ops share a shape: one list of strings in, one out,
/// null rows passed through or refused.
enum TokenLists {
    /// Writes `output` with, per row, the tokens `body` appends for the
    /// input row (the row is closed here).
    static func map(_ frame: inout Frame, input: String, output: String, nullRows: NullRows, stage: String,
                    _ body: (ArraySlice<String>, inout StringLists) -> Void) throws {
        let (lists, nulls) = try Inputs.lists(frame, input, nullRows: nullRows, stage: stage)
        var out = StringLists()
        out.reserveCapacity(rows: lists.rowCount, elements: lists.elements.count)
        for row in 0..<lists.rowCount {
            if nulls?[row] != true { body(lists.row(row), &out) }
            out.endRow()
        }
        try frame.put(.stringLists(output, out, nulls: nulls))
    }
}
