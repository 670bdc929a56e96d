import ConveyorCore
import Operators
import Parquet

/// Reads a saved `TargetEncoderModel` (Spark 4): one data row per input
/// column (`index`, `categories`, `counts`, `stats`), where category
/// 2147483647 holds the global statistics (the unseen encoding) and -1 the
/// null category. Each encoding is computed as Spark's transform computes
/// it: weight = count / (count + smoothing), then
/// binary: weight · (stat / count) + (1 − weight) · (globalStat / globalCount);
/// continuous: weight · stat + (1 − weight) · globalStat.
struct TargetEncoderModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: TargetEncoder

    static let unseenCategory = 2_147_483_647.0
    static let nullCategory = -1.0
    /// Most categories per column read from a save.
    static let maxCategories = 1 << 22

    init(_ dir: SparkStageDirectory) throws {
        let metadata = dir.metadata
        self.metadata = metadata
        let pairs = try metadata.columnPairs()
        let binary: Bool
        switch metadata.string("targetType") ?? "binary" {
        case "binary": binary = true
        case "continuous": binary = false
        case let other: throw metadata.unsupported("targetType", "'\(other)' is not binary or continuous")
        }
        let handleInvalid = try HandleInvalid(metadata)
        let smoothing = metadata.double("smoothing") ?? 0
        guard smoothing >= 0, smoothing.isFinite else { throw metadata.failure("smoothing \(smoothing) is not a non-negative number") }
        let rows = try dir.parquetRows()
        guard rows.count == pairs.count else {
            throw metadata.failure("\(pairs.count) input columns but \(rows.count) data rows")
        }
        var encodings = [TargetEncoder.Encoding?](repeating: nil, count: pairs.count)
        for row in rows {
            guard let raw = row["index"]?.int, let index = Int(exactly: raw), encodings.indices.contains(index),
                  encodings[index] == nil else {
                throw metadata.failure("a data row's index is missing, repeated or not in 0..<\(pairs.count)")
            }
            encodings[index] = try Self.encoding(row, binary: binary, smoothing: smoothing, metadata: metadata, dir: dir)
        }
        guard let kernel = TargetEncoder(inputs: pairs.map(\.input), outputs: pairs.map(\.output),
                                         encodings: encodings.compactMap { $0 }, handleInvalid: handleInvalid)
        else { throw metadata.unsupported("handleInvalid", "'\(handleInvalid.rawValue)' is not keep or error") }
        self.kernel = kernel
    }

    static func encoding(_ row: ParquetValue, binary: Bool, smoothing: Double, metadata: SparkMetadata,
                         dir: SparkStageDirectory) throws -> TargetEncoder.Encoding {
        guard let categories = row["categories"]?.list, let counts = row["counts"]?.list, let stats = row["stats"]?.list,
              categories.count == counts.count, categories.count == stats.count, categories.count <= maxCategories else {
            throw metadata.failure("data rows need categories, counts and stats of one length (at most \(maxCategories))")
        }
        var table: [Double: (count: Double, stat: Double)] = [:]
        for index in categories.indices {
            guard let category = categories[index].double, let count = counts[index].double, let stat = stats[index].double,
                  !category.isNaN, table[category] == nil else {
                throw metadata.failure("a null, NaN or repeated category in \(dir.what("categories"))")
            }
            table[category] = (count, stat)
        }
        guard let global = table[unseenCategory] else {
            throw metadata.failure("no global statistics (category \(Int(unseenCategory))) in \(dir.what("categories"))")
        }
        var codes: [Double: Double] = [:]
        for (category, entry) in table {
            let weight = entry.count / (entry.count + smoothing)
            codes[category] = binary
                ? weight * (entry.stat / entry.count) + (1 - weight) * (global.stat / global.count)
                : weight * entry.stat + (1 - weight) * global.stat
        }
        // Spark looks every non-null value up in the whole map (the special keys included).
        return TargetEncoder.Encoding(categories: codes, null: codes[nullCategory], unseen: codes[unseenCategory] ?? .nan)
    }

    var inputs: [ColumnSpec] { kernel.inputs.map { ColumnSpec($0, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { kernel.outputs.map { ColumnSpec($0, .double) } }

    var dataFacts: [Fact] {
        [Fact("categories", kernel.encodings.map { "\($0.categories.count)" }.joined(separator: ", "))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
