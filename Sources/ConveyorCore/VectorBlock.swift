/// Fixed-width dense vectors for many rows, stored row-major in one
/// contiguous buffer so that a booster can read it without copying.
public struct VectorBlock: Sendable, Equatable {
    public let width: Int
    public var storage: [Double]
    /// Stored, not derived, so that width-0 vectors still have rows.
    public let rowCount: Int

    /// `storage` holds `rowCount × width` doubles; for width 0 pass `rows`.
    public init(width: Int, storage: [Double], rows: Int? = nil) {
        precondition(width >= 0 && (width == 0 ? storage.isEmpty : storage.count % width == 0))
        self.width = width
        self.storage = storage
        self.rowCount = width == 0 ? (rows ?? 0) : storage.count / width
    }

    public init(width: Int, rows: Int, repeating value: Double = 0) {
        self.width = width
        self.storage = [Double](repeating: value, count: width * rows)
        self.rowCount = rows
    }

    public func row(_ index: Int) -> ArraySlice<Double> {
        storage[(index * width)..<((index + 1) * width)]
    }

    public subscript(row: Int, element: Int) -> Double {
        get { storage[row * width + element] }
        set { storage[row * width + element] = newValue }
    }

    /// Keeps the rows whose flag is true.
    public func filtered(keeping keep: [Bool]) -> VectorBlock {
        var out: [Double] = []
        out.reserveCapacity(storage.count)
        for (index, flag) in keep.enumerated() where flag {
            out.append(contentsOf: row(index))
        }
        return VectorBlock(width: width, storage: out, rows: keep.lazy.filter { $0 }.count)
    }
}
