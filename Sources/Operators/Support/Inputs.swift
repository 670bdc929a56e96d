import ConveyorCore

/// Reading input columns in the forms kernels loop over.
enum Inputs {
    /// A scalar numeric column as doubles (nulls hold NaN) and its null mask.
    static func scalars(_ frame: Frame, _ name: String, stage: String) throws -> (values: [Double], nulls: [Bool]?) {
        try scalars(frame, Frame.Name(name), stage: stage)
    }

    /// `scalars` by a name hashed once.
    static func scalars(_ frame: Frame, _ name: Frame.Name, stage: String) throws -> (values: [Double], nulls: [Bool]?) {
        let column = try frame.require(name, stage: stage)
        return (try column.scalarDoubles(stage: stage), column.nulls)
    }

    /// A vector column (a numeric scalar is width 1) and its null mask,
    /// checking the width when the op fixes it.
    static func vectors(_ frame: Frame, _ name: String, width: Int?, stage: String) throws
        -> (block: VectorBlock, nulls: [Bool]?)
    {
        let column = try frame.require(name, stage: stage)
        let block = try column.vectorBlock(stage: stage)
        if let width, block.width != width, frame.rowCount > 0 {
            throw ConveyorError(
                .invalidInput, "expected vectors of \(width) values, found \(block.width)", stage: stage, column: name)
        }
        return (block, column.nulls)
    }
}
