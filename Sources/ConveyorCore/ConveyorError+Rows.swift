extension ConveyorError {
    /// Shifts a 1-based row number from a chunk to the whole input.
    public func offsettingRows(by offset: Int) -> ConveyorError {
        guard offset > 0, let row else { return self }
        var copy = self
        let (shifted, overflow) = row.addingReportingOverflow(offset)
        copy.row = overflow ? row : shifted
        return copy
    }
}
