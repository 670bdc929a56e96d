/// Fixed-width dense vectors for many rows, stored row-major in one
/// contiguous buffer so that a booster can read it without copying.
///
/// The values are doubles, as Spark's vectors are. A block may instead hold
/// float32 values (`init(width:float32:rows:)`) when every value is exactly
/// a float32 — one-hot slots, small counts — so that a tree model, which
/// narrows its features to float32 anyway, takes them as they are
/// (`float32Matrix`) with no array of doubles written and read back.
/// Everything else reads `storage`, which widens such a block exactly: read
/// it once per call, not per value.
public struct VectorBlock: Sendable, Equatable {
    // Three words, as when the block held only doubles: it sits inside
    // every column's values, which are copied often (a five-word version
    // measured slower on one-row calls; see benchmarks/README.md).
    @usableFromInline let shape: (width: UInt32, rows: UInt32)
    @usableFromInline var doubles: [Double]
    /// The values, when the block holds float32 ones; empty otherwise (a
    /// block without values is the same in either form).
    @usableFromInline var floats: [Float] = []

    @inlinable public var width: Int { Int(shape.width) }
    /// Stored, not derived, so that width-0 vectors still have rows.
    @inlinable public var rowCount: Int { Int(shape.rows) }

    @usableFromInline var isFloat32: Bool { !floats.isEmpty }

    /// `storage` holds `rowCount × width` doubles; for width 0 pass `rows`.
    public init(width: Int, storage: [Double], rows: Int? = nil) {
        precondition(width >= 0 && (width == 0 ? storage.isEmpty : storage.count % width == 0))
        let rowCount = width == 0 ? (rows ?? 0) : storage.count / width
        shape = Self.shape(width: width, rows: rowCount)
        doubles = storage
    }

    /// Float32 values, each exactly the double it stands for (the caller's
    /// promise: `storage` widens them back and must give the same doubles).
    public init(width: Int, float32 values: [Float], rows: Int) {
        precondition(width >= 0 && values.count == width * rows)
        shape = Self.shape(width: width, rows: rows)
        doubles = []
        floats = values
    }

    public init(width: Int, rows: Int, repeating value: Double = 0) {
        self.init(width: width, storage: [Double](filled: value, count: width * rows), rows: rows)
    }

    private static func shape(width: Int, rows: Int) -> (width: UInt32, rows: UInt32) {
        guard let width = UInt32(exactly: width), let rows = UInt32(exactly: rows) else {
            preconditionFailure("a vector block holds at most 2³² − 1 rows of at most 2³² − 1 values")
        }
        return (width, rows)
    }

    /// The values as doubles, row-major. Mutating a float32 block turns it
    /// into a double one first.
    @inlinable
    public var storage: [Double] {
        get { isFloat32 ? floats.map(Double.init) : doubles }
        _modify {
            if isFloat32 {
                doubles = floats.map(Double.init)
                floats = []
            }
            yield &doubles
        }
    }

    /// The float32 values when the block holds them as such.
    @inlinable
    public var float32Storage: [Float]? { isFloat32 ? floats : nil }

    public func row(_ index: Int) -> ArraySlice<Double> {
        let range = (index * width)..<((index + 1) * width)
        return isFloat32 ? ArraySlice(floats[range].map(Double.init)) : doubles[range]
    }

    public subscript(row: Int, element: Int) -> Double {
        get { isFloat32 ? Double(floats[row * width + element]) : doubles[row * width + element] }
        set { storage[row * width + element] = newValue }
    }

    /// Keeps the rows whose flag is true.
    public func filtered(keeping keep: [Bool]) -> VectorBlock {
        let kept = keep.lazy.filter { $0 }.count
        if isFloat32 {
            return VectorBlock(width: width, float32: Self.rows(of: floats, width: width, keeping: keep, count: kept),
                               rows: kept)
        }
        return VectorBlock(width: width, storage: Self.rows(of: doubles, width: width, keeping: keep, count: kept),
                           rows: kept)
    }

    private static func rows<Value>(of values: [Value], width: Int, keeping keep: [Bool], count: Int) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(count * width)
        for (index, flag) in keep.enumerated() where flag {
            out.append(contentsOf: values[(index * width)..<((index + 1) * width)])
        }
        return out
    }

    /// Equal values, however each block holds them.
    public static func == (lhs: VectorBlock, rhs: VectorBlock) -> Bool {
        guard lhs.width == rhs.width, lhs.rowCount == rhs.rowCount else { return false }
        switch (lhs.isFloat32, rhs.isFloat32) {
        case (false, false): return lhs.doubles == rhs.doubles
        case (true, true): return lhs.floats == rhs.floats
        default: return lhs.storage == rhs.storage
        }
    }
}
