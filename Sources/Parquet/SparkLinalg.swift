import ConveyorCore

/// Spark ML's `VectorUDT` as stored in Parquet:
/// `struct<type: tinyint, size: int, indices: array<int>, values: array<double>>`,
/// type 0 sparse, 1 dense.
public struct SparkVector: Sendable, Equatable {
    public var size: Int
    /// Present for sparse vectors.
    public var indices: [Int]?
    public var values: [Double]

    /// Decodes the struct; `what` names the file and column in errors.
    public init(_ value: ParquetValue?, what: String) throws {
        func corrupt(_ message: String) -> ConveyorError {
            ConveyorError(.modelCorrupt, "\(what): \(message)")
        }
        guard let value, case .record = value, let type = value["type"]?.int else {
            throw corrupt("expected a Spark vector struct (type, size, indices, values)")
        }
        let values = try Self.doubles(value["values"], corrupt)
        switch type {
        case 1:
            self.size = values.count
            self.indices = nil
            self.values = values
        case 0:
            // `dense` allocates the size: bounded like matrices (128 MiB of doubles).
            guard let size = value["size"]?.int, size >= 0, size <= Int64(SparkMatrix.maxValues) else {
                throw corrupt("a sparse vector without a valid size")
            }
            let indices = try Self.ints(value["indices"], corrupt)
            guard indices.count == values.count,
                  indices.allSatisfy({ $0 >= 0 && $0 < size }) else {
                throw corrupt("a sparse vector's indices do not fit its size \(size)")
            }
            self.size = Int(size)
            self.indices = indices
            self.values = values
        default:
            throw corrupt("unknown vector type \(type)")
        }
    }

    public var dense: [Double] {
        guard let indices else { return values }
        var out = [Double](repeating: 0, count: size)
        for (index, value) in zip(indices, values) { out[index] = value }
        return out
    }

    static func doubles(_ value: ParquetValue?, _ corrupt: (String) -> ConveyorError) throws -> [Double] {
        guard let items = value?.list else { throw corrupt("expected a list of doubles") }
        return try items.map { item in
            guard let number = item.double else { throw corrupt("a null or non-numeric element in a list of doubles") }
            return number
        }
    }

    static func ints(_ value: ParquetValue?, _ corrupt: (String) -> ConveyorError) throws -> [Int] {
        guard let items = value?.list else { throw corrupt("expected a list of integers") }
        return try items.map { item in
            guard let number = item.int else { throw corrupt("a null or non-integer element in a list of integers") }
            return Int(number)
        }
    }
}

/// Spark ML's `MatrixUDT`: `struct<type, numRows, numCols, colPtrs,
/// rowIndices, values, isTransposed>`, type 0 sparse (CSC, or CSR when
/// transposed), 1 dense (column-major, or row-major when transposed).
public struct SparkMatrix: Sendable, Equatable {
    /// Most values a vector or matrix may declare: 2^24 doubles (128 MiB), far above
    /// real models, so a tiny sparse record cannot make the reader allocate gigabytes.
    public static let maxValues = 1 << 24

    public var rows: Int
    public var columns: Int
    /// Row-major values.
    public var values: [Double]

    public init(_ value: ParquetValue?, what: String) throws {
        func corrupt(_ message: String) -> ConveyorError {
            ConveyorError(.modelCorrupt, "\(what): \(message)")
        }
        guard let value, let type = value["type"]?.int, let rawRows = value["numRows"]?.int,
              let rawColumns = value["numCols"]?.int, rawRows >= 0, rawColumns >= 0,
              rawRows.multipliedReportingOverflow(by: rawColumns).partialValue <= Int64(Self.maxValues),
              !rawRows.multipliedReportingOverflow(by: rawColumns).overflow else {
            throw corrupt("expected a Spark matrix struct (type, numRows, numCols, …) of a sensible size")
        }
        rows = Int(rawRows)
        columns = Int(rawColumns)
        let stored = try SparkVector.doubles(value["values"], corrupt)
        let transposed = value["isTransposed"]?.bool ?? false
        var out = [Double](repeating: 0, count: rows * columns)
        switch type {
        case 1:
            guard stored.count == rows * columns else { throw corrupt("a dense matrix with \(stored.count) values for \(rows)x\(columns)") }
            for r in 0..<rows {
                for c in 0..<columns {
                    out[r * columns + c] = transposed ? stored[r * columns + c] : stored[c * rows + r]
                }
            }
        case 0:
            let pointers = try SparkVector.ints(value["colPtrs"], corrupt)
            let indices = try SparkVector.ints(value["rowIndices"], corrupt)
            let major = transposed ? rows : columns
            let minor = transposed ? columns : rows
            guard pointers.count == major + 1, indices.count == stored.count, pointers.first == 0,
                  pointers.last == stored.count, zip(pointers, pointers.dropFirst()).allSatisfy({ $0 <= $1 }),
                  indices.allSatisfy({ $0 >= 0 && $0 < minor }) else {
                throw corrupt("a sparse matrix whose pointers or indices do not fit \(rows)x\(columns)")
            }
            for m in 0..<major {
                for k in pointers[m]..<pointers[m + 1] {
                    let (r, c) = transposed ? (m, indices[k]) : (indices[k], m)
                    out[r * columns + c] = stored[k]
                }
            }
        default:
            throw corrupt("unknown matrix type \(type)")
        }
        values = out
    }

    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columns)..<((index + 1) * columns)]
    }
}
