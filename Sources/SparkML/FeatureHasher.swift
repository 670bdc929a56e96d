import ConveyorCore
import Operators

/// Reads a saved `FeatureHasher` (`inputCols`, `categoricalCols`,
/// `numFeatures`) into the FeatureHasher kernel. Spark 3+ hashes with
/// Murmur3's standard tail; a save by Spark 2 is read with Spark 2's.
struct FeatureHasher: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.FeatureHasher

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let columns = try metadata.require(metadata.strings("inputCols"), "inputCols")
        let categorical = Set(metadata.strings("categoricalCols") ?? [])
        let features = try metadata.int("numFeatures", in: 1...(1 << 24)) ?? 1 << 18
        let version: Murmur3.Version = (metadata.sparkMajorVersion ?? 3) < 3 ? .spark2 : .spark3
        guard let kernel = Operators.FeatureHasher(
            inputs: columns.map { Operators.FeatureHasher.Input(name: $0, categorical: categorical.contains($0)) },
            output: try metadata.require(metadata.string("outputCol"), "outputCol"), numFeatures: features,
            version: version) else { throw metadata.failure("numFeatures must be positive") }
        self.kernel = kernel
    }

    /// Numeric inputs by default; a string column is declared by the schema or an earlier stage.
    var inputs: [ColumnSpec] { kernel.inputs.map { ColumnSpec($0.name, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [ColumnSpec(kernel.output, .vector(kernel.numFeatures))]
    }

    var dataFacts: [Fact] { [Fact("numFeatures", "\(kernel.numFeatures)")] }

    var tracer: (any Traceable)? { kernel }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}
