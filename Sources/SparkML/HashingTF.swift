import ConveyorCore
import Operators
import Parquet

/// Reads a saved `HashingTF` (`numFeatures` default 2^18, `binary` default
/// false) into the HashingTF kernel. Like Spark 3+'s `HashingTF.load`, a
/// stage saved by Spark 2.x hashes with Spark 2's murmur3.
struct HashingTF: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.HashingTF

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let pair = try metadata.singleColumnPair()
        // Output rows are dense: the width is bounded like any vector read from a file.
        let features = try metadata.int("numFeatures", in: 1...SparkMatrix.maxValues) ?? (1 << 18)
        guard let major = metadata.sparkMajorVersion else {
            throw metadata.failure("sparkVersion '\(metadata.sparkVersion)' is unreadable; the hash depends on it")
        }
        kernel = Operators.HashingTF(input: pair.input, output: pair.output, features: features,
                                     binary: metadata.bool("binary") ?? false, version: major < 3 ? .spark2 : .spark3,
                                     nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .stringList)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [ColumnSpec(kernel.output, .vector(kernel.features))]
    }

    var dataFacts: [Fact] {
        [Fact("hash", kernel.version == .spark2 ? "Spark 2 murmur3 (saved by Spark 2)" : "murmur3 (Spark 3+)")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
