/// A batch of rows held as typed columns. Stages read columns and add
/// columns; rows are never re-encoded as text between stages.
///
/// `rowNumbers` keeps each row's 0-based position in the original input,
/// so errors can name the input row even after `handle_invalid=skip`
/// has dropped rows.
public struct Frame: Sendable {
    public internal(set) var columns: [Column]
    public private(set) var rowCount: Int
    /// Each column's `name.hashValue`, kept beside `columns`: a lookup
    /// compares integers and then one name, where comparing names one by
    /// one cost more than a single-row stage's own work.
    var nameKeys: [Int]
    /// nil while no row has been dropped (row i is input row i): most
    /// frames never need the array.
    private var keptRows: [Int]?

    public init(rowCount: Int) {
        self.columns = []
        self.nameKeys = []
        self.rowCount = rowCount
        self.keptRows = nil
    }

    public init(columns: [Column]) throws {
        self.init(rowCount: columns.first?.count ?? 0)
        self.columns.reserveCapacity(columns.count)
        nameKeys.reserveCapacity(columns.count)
        for column in columns { try put(column) }
    }

    public var rowNumbers: [Int] { keptRows ?? Array(0..<rowCount) }

    public var columnNames: [String] { columns.map(\.name) }

    /// The position of the column named `name`, if any.
    public func index(of name: String) -> Int? {
        index(of: name, key: name.hashValue)
    }

    func index(of name: String, key: Int) -> Int? {
        for index in nameKeys.indices where nameKeys[index] == key && columns[index].name == name {
            return index
        }
        return nil
    }

    public func column(_ name: String) -> Column? {
        index(of: name).map { columns[$0] }
    }

    /// The column a stage needs, or an error naming the stage and column.
    public func require(_ name: String, stage: String? = nil) throws -> Column {
        guard let index = index(of: name) else {
            throw ConveyorError(
                .invalidInput,
                "missing column '\(name)'; the frame has \(columnNames.map { "'\($0)'" }.joined(separator: ", "))",
                stage: stage, column: name)
        }
        return columns[index]
    }

    /// `require(name)`, looking at `position` first: a frame selected for a
    /// list of names (a pipeline's output) holds each at its place, and
    /// names are unique in a frame, so a match there needs no hashing.
    public func require(_ name: String, at position: Int, stage: String? = nil) throws -> Column {
        if columns.indices.contains(position), columns[position].name == name { return columns[position] }
        return try require(name, stage: stage)
    }

    /// Adds a column, replacing one of the same name (as MLeap does when a
    /// transformer writes an existing column).
    /// `consuming`: the column moves into the frame (borrowed, storing it
    /// copied it, retaining each of its arrays, and the caller then
    /// released its own).
    public mutating func put(_ column: consuming Column) throws {
        let key = column.name.hashValue
        try put(column, key: key)
    }

    /// `put` with the name's hash already computed (`Frame.Name`).
    mutating func put(_ column: consuming Column, key: Int) throws {
        guard column.count == rowCount else {
            throw ConveyorError(
                .internal,
                "column '\(column.name)' has \(column.count) rows but the frame has \(rowCount)",
                column: column.name)
        }
        if let index = index(of: column.name, key: key) {
            columns[index] = column
        } else {
            nameKeys.append(key)
            columns.append(column)
        }
    }

    /// Room for `count` more columns without growing (a stage that knows
    /// how many it adds).
    public mutating func reserveColumns(_ count: Int) {
        columns.reserveCapacity(columns.count + count)
        nameKeys.reserveCapacity(nameKeys.count + count)
    }

    public mutating func remove(_ name: String) {
        removeColumns { $0 == name }
    }

    /// Removes every column from position `start` on whose name matches, in
    /// one pass, keeping the others in order.
    public mutating func removeColumns(from start: Int = 0, where shouldRemove: (String) -> Bool) {
        removeColumns(from: start, byKeyAndName: { _, name in shouldRemove(name) })
    }

    /// As `removeColumns(from:where:)`, also given each name's hash value.
    private mutating func removeColumns(from start: Int = 0, byKeyAndName shouldRemove: (Int, String) -> Bool) {
        func removes(_ index: Int) -> Bool { shouldRemove(nameKeys[index], columns[index].name) }
        guard let first = columns.indices.dropFirst(start).first(where: removes) else {
            return
        }
        var kept = first
        for index in (first + 1)..<columns.count where !removes(index) {
            columns.swapAt(kept, index)
            nameKeys.swapAt(kept, index)
            kept += 1
        }
        columns.removeSubrange(kept...)
        nameKeys.removeSubrange(kept...)
    }

    /// Which columns a frame has, for a stage that hands the frame itself
    /// on: holding the input frame would make the stage's first added
    /// column copy the whole column array. Names are compared by hash value
    /// (`String.hashValue`, 64 bits, seeded per process).
    public struct Layout: Sendable {
        fileprivate let keys: [Int]

        fileprivate init(keys: [Int]) {
            self.keys = keys
        }

        /// The layout of a frame with these columns, in order, or nil when
        /// a name repeats. Made once by a reader that builds many frames of
        /// the same columns, so that building one hashes no name.
        public init?(names: [String]) {
            guard Set(names).count == names.count else { return nil }
            self.init(keys: names.map(\.hashValue))
        }
    }

    public var layout: Layout { Layout(keys: nameKeys) }

    /// A frame of `rowCount` rows of these columns, named in `layout`'s
    /// order, without hashing their names.
    public init(rowCount: Int, columns: [Column], layout: Layout) throws {
        precondition(columns.count == layout.keys.count, "\(columns.count) columns for a layout of \(layout.keys.count)")
        self.columns = columns
        self.nameKeys = layout.keys
        self.rowCount = rowCount
        self.keptRows = nil
        for index in columns.indices {
            assert(columns[index].name.hashValue == nameKeys[index], "column \(index) is not named as in the layout")
            guard columns[index].count == rowCount else {
                throw ConveyorError(
                    .internal,
                    "column '\(columns[index].name)' has \(columns[index].count) rows but the frame has \(rowCount)",
                    column: columns[index].name)
            }
        }
    }

    /// This frame (what a stage computed from a frame of layout `input`)
    /// with `input`'s columns and, of the columns added since, only those
    /// in `added`.
    public consuming func pruned(to input: Layout, keeping added: [Name]) -> Frame {
        var out = self
        // Keys first: comparing each added column's name with every kept
        // one was 3 % of a one-row Spark pipeline.
        func isAdded(_ key: Int, _ name: String) -> Bool {
            added.contains { $0.key == key && $0.string == name }
        }
        if out.nameKeys.starts(with: input.keys) {
            // Stages replace columns in place and append new ones, so only
            // the appended ones are candidates: no name hashing per call.
            out.removeColumns(from: input.keys.count, byKeyAndName: { key, name in !isAdded(key, name) })
        } else {
            // A stage removed or reordered columns (a SQL SELECT, RFormula).
            let kept = Set(input.keys)
            out.removeColumns(byKeyAndName: { key, name in !kept.contains(key) && !isAdded(key, name) })
        }
        return out
    }

    /// `pruned(to:keeping:)` with the added names as strings.
    public consuming func pruned(to input: Layout, keeping added: [String]) -> Frame {
        pruned(to: input, keeping: added.map(Name.init))
    }

    /// `pruned(to: input.layout, keeping: added)`, for callers that keep `input` anyway.
    public consuming func pruned(toColumnsOf input: Frame, keeping added: [String]) -> Frame {
        pruned(to: input.layout, keeping: added)
    }

    /// Keeps the rows whose flag is true (used by `handle_invalid=skip`).
    public func filtered(keeping keep: [Bool]) -> Frame {
        precondition(keep.count == rowCount)
        var copy = self
        copy.columns = columns.map { $0.filtered(keeping: keep) }
        copy.keptRows = rowNumbers.enumerated().filter { keep[$0.offset] }.map(\.element)
        copy.rowCount = copy.rowNumbers.count
        return copy
    }

    /// A frame with only the named columns, in the order given.
    public func selecting(_ names: [String], stage: String? = nil) throws -> Frame {
        try selecting(names.map(Name.init), stage: stage)
    }

    /// The 1-based input row number of row `index`, for messages.
    public func inputRow(_ index: Int) -> Int { (keptRows?[index] ?? index) + 1 }
}

extension Frame: Equatable {
    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.rowCount == rhs.rowCount && lhs.columns == rhs.columns && lhs.rowNumbers == rhs.rowNumbers
    }
}
