/// A batch of rows held as typed columns. Stages read columns and add
/// columns; rows are never re-encoded as text between stages.
///
/// `rowNumbers` keeps each row's 0-based position in the original input,
/// so errors can name the input row even after `handle_invalid=skip`
/// has dropped rows.
public struct Frame: Sendable, Equatable {
    public private(set) var columns: [Column]
    public private(set) var rowCount: Int
    public private(set) var rowNumbers: [Int]

    public init(rowCount: Int) {
        self.columns = []
        self.rowCount = rowCount
        self.rowNumbers = Array(0..<rowCount)
    }

    public init(columns: [Column]) throws {
        self.init(rowCount: columns.first?.count ?? 0)
        for column in columns { try put(column) }
    }

    public var columnNames: [String] { columns.map(\.name) }

    public func column(_ name: String) -> Column? {
        columns.first { $0.name == name }
    }

    /// The column a stage needs, or an error naming the stage and column.
    public func require(_ name: String, stage: String? = nil) throws -> Column {
        guard let column = column(name) else {
            throw ConveyorError(
                .invalidInput,
                "missing column '\(name)'; the frame has \(columnNames.map { "'\($0)'" }.joined(separator: ", "))",
                stage: stage, column: name)
        }
        return column
    }

    /// Adds a column, replacing one of the same name (as MLeap does when a
    /// transformer writes an existing column).
    public mutating func put(_ column: Column) throws {
        guard column.count == rowCount else {
            throw ConveyorError(
                .internal,
                "column '\(column.name)' has \(column.count) rows but the frame has \(rowCount)",
                column: column.name)
        }
        if let index = columns.firstIndex(where: { $0.name == column.name }) {
            columns[index] = column
        } else {
            columns.append(column)
        }
    }

    public mutating func remove(_ name: String) {
        columns.removeAll { $0.name == name }
    }

    /// Removes every column whose name matches, in one pass.
    public mutating func removeColumns(where shouldRemove: (String) -> Bool) {
        columns.removeAll { shouldRemove($0.name) }
    }

    /// Keeps the rows whose flag is true (used by `handle_invalid=skip`).
    public func filtered(keeping keep: [Bool]) -> Frame {
        precondition(keep.count == rowCount)
        var copy = self
        copy.columns = columns.map { $0.filtered(keeping: keep) }
        copy.rowNumbers = rowNumbers.enumerated().filter { keep[$0.offset] }.map(\.element)
        copy.rowCount = copy.rowNumbers.count
        return copy
    }

    /// A frame with only the named columns, in the order given.
    public func selecting(_ names: [String], stage: String? = nil) throws -> Frame {
        var copy = self
        copy.columns = try names.map { try require($0, stage: stage) }
        return copy
    }

    /// The 1-based input row number of row `index`, for messages.
    public func inputRow(_ index: Int) -> Int { rowNumbers[index] + 1 }
}
