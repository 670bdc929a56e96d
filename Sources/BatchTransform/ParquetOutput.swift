import ConveyorCore
import Parquet

/// The output side of a Parquet object: text outputs pass through as they
/// are; Parquet outputs gather scored frames into row groups of
/// `rowGroupRows` rows, so memory holds at most one row group.
struct ParquetOutput {
    let enabled: Bool
    let rowGroupRows: Int
    private var writer: ParquetWriter?
    private var pending: [Frame] = []
    private var pendingRows = 0

    init(enabled: Bool, rowGroupRows: Int) {
        self.enabled = enabled
        self.rowGroupRows = rowGroupRows
    }

    /// What to write after one scored piece: its text, or whole row groups.
    mutating func add(frame: Frame?, bytes: [UInt8]) throws -> [UInt8] {
        guard enabled else { return bytes }
        guard let frame, frame.rowCount > 0 else { return [] }
        // The file's schema is the first piece's columns, as the pipeline made them.
        var out = writer == nil ? try start(frame.columns.map(\.spec)) : []
        pending.append(frame)
        pendingRows += frame.rowCount
        if pendingRows >= rowGroupRows { out += try flush(all: false) }
        return out
    }

    /// The rest: the last row group and the footer (an object without rows
    /// gets a file of the pipeline's columns and no row groups).
    mutating func finish(specs: [ColumnSpec]) throws -> [UInt8] {
        guard enabled else { return [] }
        var out = writer == nil ? try start(specs) : []
        out += try flush(all: true)
        out += writer?.finish() ?? []
        return out
    }

    private mutating func start(_ specs: [ColumnSpec]) throws -> [UInt8] {
        var created = try ParquetWriter(columns: specs)
        let magic = created.start()
        writer = created
        return magic
    }

    /// Writes full row groups (and, when `all`, the partial last one).
    private mutating func flush(all: Bool) throws -> [UInt8] {
        guard pendingRows > 0, var current = writer else { return [] }
        let whole = pending.count == 1 ? pending[0] : try Frame(concatenating: pending)
        pending = []
        pendingRows = 0
        var out: [UInt8] = []
        var start = 0
        while whole.rowCount - start >= rowGroupRows || (all && start < whole.rowCount) {
            let range = start..<min(whole.rowCount, start + rowGroupRows)
            out += try current.rowGroup(whole.columns.map { $0.rows(range) })
            start = range.upperBound
        }
        if start < whole.rowCount {
            let rest = try Frame(columns: whole.columns.map { $0.rows(start..<whole.rowCount) })
            pending = [rest]
            pendingRows = rest.rowCount
        }
        writer = current
        return out
    }
}
