import ConveyorCore
import Operators
import Parquet

/// Reads a saved `BucketedRandomProjectionLSHModel` (the unit vectors as the
/// rows of `randUnitVectors`, a MatrixUDT; `bucketLength`) or
/// `MinHashLSHModel` (`randCoefficients`, a flat a0, b0, a1, b1, … list)
/// into the LocalitySensitiveHash kernel. Spark's `hashes` column is an
/// array of one-value vectors; Conveyor's is `vector<double>[numHashTables]`
/// (element i is Spark's hashes[i][0]).
struct LSHModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: LocalitySensitiveHash

    /// Most hash tables read from a save (each is one output value per row).
    static let maxTables = 1 << 16

    init(_ dir: SparkStageDirectory, minHash: Bool) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        let (input, output) = try metadata.singleColumnPair()
        let row = try dir.singleRow()
        let family: LocalitySensitiveHash.Family
        var width: Int?
        if minHash {
            guard let list = row["randCoefficients"]?.list, !list.isEmpty, list.count % 2 == 0,
                  list.count / 2 <= Self.maxTables else {
                throw metadata.failure("data lacks 'randCoefficients' (pairs, at most \(Self.maxTables))")
            }
            let values = try list.map { try metadata.require($0.int, "randCoefficients element") }
            family = .minHash(coefficients: stride(from: 0, to: values.count, by: 2).map { (a: values[$0], b: values[$0 + 1]) })
        } else {
            let matrix = try SparkMatrix(row["randUnitVectors"], what: dir.what("randUnitVectors"))
            guard matrix.rows >= 1, matrix.rows <= Self.maxTables, matrix.columns >= 1 else {
                throw metadata.failure("randUnitVectors is \(matrix.rows)x\(matrix.columns); expected 1...\(Self.maxTables) rows")
            }
            let length = try metadata.require(metadata.double("bucketLength"), "bucketLength")
            family = .bucketedRandomProjection(unitVectors: matrix.values, bucketLength: length)
            width = matrix.columns
        }
        guard let kernel = LocalitySensitiveHash(input: input, output: output, family: family, width: width) else {
            throw metadata.failure("bucketLength must be positive and finite, MinHash coefficients a in 1..<\(LocalitySensitiveHash.hashPrime) "
                + "and b in 0..<\(LocalitySensitiveHash.hashPrime)")
        }
        self.kernel = kernel
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .vector(kernel.width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .vector(kernel.tables))] }

    var dataFacts: [Fact] {
        [Fact("hash tables", "\(kernel.tables)")] + (kernel.width.map { [Fact("features", "\($0)")] } ?? [])
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}
