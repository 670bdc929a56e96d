import ConveyorCore

/// One op over a frame: reads its input columns, adds its output columns
/// (replacing any of the same name) and, under `handleInvalid=skip`, drops
/// rows. Built once from plain parameters by a format reader; `apply` does
/// no per-row allocation.
public protocol Kernel: Sendable {
    func apply(to frame: inout Frame, stage: String) throws
}

/// A kernel that can leave out some of the columns it writes when nothing
/// reads them (a classifier's raw scores beside its probabilities):
/// `KernelFusion.plan` asks, so a request does not build columns the stage
/// then drops.
public protocol OutputNarrowableKernel: Kernel {
    /// This kernel writing only those of its columns that are in `needed`;
    /// nil when it would write them all anyway.
    func writing(only needed: Set<String>) -> (any Kernel)?
}

extension Kernel {
    /// `apply` on a copy, for callers that keep the input.
    public func transform(_ frame: Frame, stage: String) throws -> Frame {
        var copy = frame
        try apply(to: &copy, stage: stage)
        return copy
    }
}

extension Array where Element == any Kernel {
    /// Each kernel in order over `frame`; an error names `stage`.
    public func apply(to frame: inout Frame, stage: String) throws {
        for kernel in self {
            do {
                try kernel.apply(to: &frame, stage: stage)
            } catch let error as ConveyorError {
                throw error.inStage(stage)
            }
        }
    }
}

/// An invalid-input error naming the stage, the 1-based input row of row
/// `index` of `frame`, and the column.
func invalidRow(_ message: String, _ frame: Frame, row index: Int, column: String, stage: String) -> ConveyorError {
    ConveyorError(.invalidInput, message, stage: stage, row: frame.inputRow(index), column: column)
}

/// Rows to keep under `handleInvalid=skip`; allocated on the first drop.
struct RowFilter {
    private(set) var keep: [Bool]?
    let rows: Int

    init(rows: Int) { self.rows = rows }

    mutating func drop(_ row: Int) {
        if keep == nil { keep = [Bool](repeating: true, count: rows) }
        keep?[row] = false
    }

    func isDropped(_ row: Int) -> Bool { keep.map { !$0[row] } ?? false }

    /// Applies the drops, if any, to `frame`.
    func apply(to frame: inout Frame) {
        if let keep { frame = frame.filtered(keeping: keep) }
    }
}
