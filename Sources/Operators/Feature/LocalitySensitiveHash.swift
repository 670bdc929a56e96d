import ConveyorCore

/// Spark's LSH models' `transform`: one hash per hash table. Spark's column
/// is `array<vector>` where every vector holds one value (SPARK-18450 never
/// widened them); Conveyor's column is `vector<double>[tables]`, element `i`
/// being Spark's `hashes[i][0]`.
public struct LocalitySensitiveHash: Kernel {
    public enum Family: Sendable {
        /// BucketedRandomProjectionLSH: `floor((1 / bucketLength) · (u_i · x))`
        /// per unit vector `u_i` (rows of `width` values, row-major).
        case bucketedRandomProjection(unitVectors: [Double], bucketLength: Double)
        /// MinHashLSH: `min over i with x_i != 0 of ((1 + i)·a + b) mod 2038074743`
        /// per (a, b) pair; a vector without a non-zero entry is refused.
        case minHash(coefficients: [(a: Int64, b: Int64)])
    }

    public static let hashPrime: Int64 = 2_038_074_743

    public let input: String
    public let output: String
    public let family: Family
    public let tables: Int
    /// The input width BRP's unit vectors fix; nil for MinHash (any width below the prime).
    public let width: Int?

    /// Nil when the unit vectors are not `tables` rows of `width` values, the
    /// bucket length is not positive and finite, or a MinHash coefficient is
    /// outside Spark's range (a in 1..<prime, b in 0..<prime).
    public init?(input: String, output: String, family: Family, width: Int?) {
        switch family {
        case .bucketedRandomProjection(let vectors, let length):
            guard let width, width > 0, vectors.count % width == 0, !vectors.isEmpty, length > 0, length.isFinite
            else { return nil }
            tables = vectors.count / width
        case .minHash(let coefficients):
            guard !coefficients.isEmpty, coefficients.allSatisfy({
                $0.a >= 1 && $0.a < Self.hashPrime && $0.b >= 0 && $0.b < Self.hashPrime
            }) else { return nil }
            tables = coefficients.count
        }
        self.input = input
        self.output = output
        self.family = family
        self.width = width
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        let w = block.width
        if case .minHash = family, Int64(w) > Self.hashPrime {
            throw ConveyorError(.invalidInput, "MinHashLSH takes vectors of at most \(Self.hashPrime) values, found \(w)",
                                stage: stage, column: input)
        }
        var out = VectorBlock(width: tables, rows: frame.rowCount)
        for row in 0..<frame.rowCount {
            // Spark's hash UDF fails on a null vector.
            if nulls?[row] == true {
                throw invalidRow("a null vector cannot be hashed", frame, row: row, column: input, stage: stage)
            }
            let x = block.row(row)
            switch family {
            case .bucketedRandomProjection(let vectors, let length):
                let scale = 1.0 / length
                for table in 0..<tables {
                    // BLAS gemv: the dot product summed in index order, then scaled by alpha = 1/bucketLength.
                    var dot = 0.0
                    var k = table * w
                    for value in x {
                        dot += vectors[k] * value
                        k += 1
                    }
                    out.storage[row * tables + table] = (scale * dot).rounded(.down)
                }
            case .minHash(let coefficients):
                var any = false
                for (table, pair) in coefficients.enumerated() {
                    var least = Int64.max
                    // Indices are below the prime (checked above), so (1 + i)·a + b stays below 2^63.
                    for (i, value) in x.enumerated() where value != 0 {
                        any = true
                        least = min(least, ((1 + Int64(i)) * pair.a + pair.b) % Self.hashPrime)
                    }
                    out.storage[row * tables + table] = Double(least)
                }
                guard any else {
                    throw invalidRow("MinHashLSH needs at least one non-zero entry", frame, row: row, column: input,
                                     stage: stage)
                }
            }
        }
        try frame.put(.vectors(output, out))
    }
}
