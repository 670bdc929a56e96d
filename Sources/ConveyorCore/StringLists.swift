/// A list of strings per row (tokens, n-grams) for many rows, stored as
/// one flat array of elements plus row offsets: two arrays per column, not
/// one array per row.
public struct StringLists: Sendable, Equatable {
    public private(set) var elements: [String]
    /// Row `i` holds `elements[offsets[i]..<offsets[i + 1]]`; `offsets.count == rowCount + 1`.
    public private(set) var offsets: [Int]

    public init() {
        elements = []
        offsets = [0]
    }

    public init(_ rows: [[String]]) {
        self.init()
        offsets.reserveCapacity(rows.count + 1)
        for row in rows { append(row: row) }
    }

    public var rowCount: Int { offsets.count - 1 }

    public func row(_ index: Int) -> ArraySlice<String> {
        elements[offsets[index]..<offsets[index + 1]]
    }

    public mutating func reserveCapacity(rows: Int, elements count: Int) {
        offsets.reserveCapacity(rows + 1)
        elements.reserveCapacity(count)
    }

    public mutating func append<S: Sequence>(row: S) where S.Element == String {
        elements.append(contentsOf: row)
        offsets.append(elements.count)
    }

    /// Adds one element to a row that `endRow()` will close.
    public mutating func appendElement(_ element: String) { elements.append(element) }

    /// Closes the row holding the elements appended since the last row ended.
    public mutating func endRow() { offsets.append(elements.count) }

    /// Keeps the rows whose flag is true.
    public func filtered(keeping keep: [Bool]) -> StringLists {
        var out = StringLists()
        for (index, flag) in keep.enumerated() where flag { out.append(row: row(index)) }
        return out
    }

    /// Stacks blocks row-wise.
    public init(concatenating parts: [StringLists]) {
        self.init()
        reserveCapacity(rows: parts.reduce(0) { $0 + $1.rowCount },
                        elements: parts.reduce(0) { $0 + $1.elements.count })
        for part in parts {
            let base = elements.count
            elements.append(contentsOf: part.elements)
            offsets.append(contentsOf: part.offsets.dropFirst().map { $0 + base })
        }
    }
}
