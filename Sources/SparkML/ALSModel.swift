import ConveyorCore
import Operators
import Parquet

/// Reads a saved `ALSModel`: `rank` in the metadata, the factors in
/// `userFactors/` and `itemFactors/` (Parquet rows of `id: int`,
/// `features: array<float>`), `userCol`, `itemCol`, `predictionCol` and
/// `coldStartStrategy` (nan or drop) into the MatrixFactorization kernel.
struct ALSModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: MatrixFactorization
    let counts: (users: Int, items: Int)

    static let maxRank = 1 << 12

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        guard let rank = metadata.extraInt("rank"), rank >= 1, rank <= Self.maxRank else {
            throw metadata.failure("metadata lacks rank (1...\(Self.maxRank))")
        }
        let strategy = metadata.string("coldStartStrategy") ?? "nan"
        guard strategy == "nan" || strategy == "drop" else {
            throw metadata.unsupported("coldStartStrategy", "'\(strategy)' is not nan or drop")
        }
        let users = try Self.factors(dir, "userFactors", rank: rank)
        let items = try Self.factors(dir, "itemFactors", rank: rank)
        guard let kernel = MatrixFactorization(
            user: metadata.string("userCol") ?? "user", item: metadata.string("itemCol") ?? "item",
            prediction: metadata.string("predictionCol") ?? "prediction", rank: rank, users: users, items: items,
            dropColdStart: strategy == "drop")
        else { throw metadata.failure("factors do not fit rank \(rank)") }
        self.kernel = kernel
        counts = (users.offsets.count, items.offsets.count)
    }

    static func factors(_ dir: SparkStageDirectory, _ sub: String, rank: Int) throws -> MatrixFactorization.Factors {
        let rows = try dir.parquetRows(sub)
        let (total, overflow) = rows.count.multipliedReportingOverflow(by: rank)
        guard !overflow, total <= SparkMatrix.maxValues else {
            throw dir.metadata.failure("\(sub): \(rows.count) rows of rank \(rank) exceed \(SparkMatrix.maxValues) values")
        }
        var offsets: [Int32: Int] = [:]
        var values: [Float] = []
        values.reserveCapacity(total)
        for row in rows {
            guard let raw = row["id"]?.int, let id = Int32(exactly: raw), let features = row["features"]?.list,
                  features.count == rank else {
                throw dir.metadata.failure("\(sub): a row without an Int32 id and \(rank) features")
            }
            guard offsets[id] == nil else { throw dir.metadata.failure("\(sub): id \(id) appears twice") }
            offsets[id] = values.count
            for value in features {
                guard let number = value.double else { throw dir.metadata.failure("\(sub): a null factor for id \(id)") }
                values.append(Float(number))
            }
        }
        return MatrixFactorization.Factors(offsets: offsets, values: values)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.user, .double), ColumnSpec(kernel.item, .double)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.prediction, .double)] }

    var dataFacts: [Fact] {
        [Fact("rank", "\(kernel.rank)"), Fact("users", "\(counts.users)"), Fact("items", "\(counts.items)"),
         Fact("cold start", kernel.dropColdStart ? "drop" : "nan")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}
