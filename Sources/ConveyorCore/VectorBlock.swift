/// Fixed-width dense vectors for many rows, stored row-major in one
/// contiguous buffer so that a booster can read it without copying.
public struct VectorBlock: Sendable, Equatable {
    public let width: Int
    public var storage: [Double]

    public init(width: Int, storage: [Double]) {
        precondition(width >= 0 && (width == 0 ? storage.isEmpty : storage.count % width == 0))
        self.width = width
        self.storage = storage
    }

    public init(width: Int, rows: Int, repeating value: Double = 0) {
        self.width = width
        self.storage = [Double](repeating: value, count: width * rows)
    }

    public var rowCount: Int { width == 0 ? 0 : storage.count / width }

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
        return VectorBlock(width: width, storage: out)
    }
}
