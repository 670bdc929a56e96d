import ConveyorCore
import Operators
import Parquet

/// The readers of the one-vector-in, one-vector-out Spark stages: each parses
/// its params and `data/` into a kernel and refuses what it cannot honour.
extension VectorFeature {
    /// `PCAModel`: `pc`, the [input width × k] matrix.
    static func pca(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let pc = try SparkMatrix(try dir.singleRow()["pc"], what: dir.what("pc"))
        // SparkMatrix is row-major [feature][component]; the kernel wants each component contiguous.
        var components = [Double](repeating: 0, count: pc.values.count)
        for i in 0..<pc.rows { for j in 0..<pc.columns { components[j * pc.rows + i] = pc.values[i * pc.columns + j] } }
        guard let kernel = try Operators.PCA(input: metadata.require(metadata.string("inputCol"), "inputCol"),
                                             output: metadata.require(metadata.string("outputCol"), "outputCol"),
                                             inputWidth: pc.rows, k: pc.columns, components: components) else {
            throw metadata.failure("pc is not a matrix")
        }
        return try VectorFeature(metadata, inputWidth: pc.rows, outputWidth: pc.columns, kernel: kernel,
                                 facts: [Fact("features", "\(pc.rows)"), Fact("components", "\(pc.columns)")])
    }

    /// `VectorSlicer`: `indices`; `names` would need the input column's ML
    /// attributes, which a request does not carry, so they are refused.
    static func slicer(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        if let names = metadata.strings("names"), !names.isEmpty {
            throw metadata.unsupported("names", "selecting by feature name needs the input column's ML attributes; "
                + "save the VectorSlicer with indices instead")
        }
        let indices = try metadata.require(metadata.doubles("indices"), "indices").map { value in
            guard let index = Int(exactly: value), index >= 0, index < SparkMatrix.maxValues else {
                throw metadata.failure("index \(value) is not a feature index")
            }
            return index
        }
        guard Set(indices).count == indices.count else { throw metadata.failure("indices repeat") }
        return try selecting(metadata, indices)
    }

    /// `ChiSqSelectorModel`, `UnivariateFeatureSelectorModel`,
    /// `VarianceThresholdSelectorModel`: `selectedFeatures`, applied in
    /// increasing order as Spark applies them (UnivariateFeatureSelector saves
    /// them by score).
    static func selector(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let indices = try (dir.singleRow()["selectedFeatures"]?.list ?? []).map { value in
            guard let index = value.int, index >= 0, index < Int64(SparkMatrix.maxValues) else {
                throw metadata.failure("a selected feature is not a feature index")
            }
            return Int(index)
        }.sorted()
        guard zip(indices, indices.dropFirst()).allSatisfy(<) else {
            throw metadata.failure("selectedFeatures repeat a feature")
        }
        return try selecting(metadata, indices, featuresParam: "featuresCol")
    }

    private static func selecting(_ metadata: SparkMetadata, _ indices: [Int], featuresParam: String = "inputCol") throws
        -> VectorFeature {
        let input = try metadata.require(metadata.string(featuresParam), featuresParam)
        let kernel = Operators.VectorSelect(input: input, output: try metadata.require(metadata.string("outputCol"), "outputCol"),
                                            indices: indices)
        return try VectorFeature(metadata, input: input, inputWidth: nil, outputWidth: indices.count, kernel: kernel,
                                 facts: [Fact("indices", indices.map(String.init).joined(separator: ", "))])
    }

    /// `Normalizer`: `p` (default 2).
    static func normalizer(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let p = metadata.double("p") ?? 2
        guard let kernel = try Operators.Normalizer(input: metadata.require(metadata.string("inputCol"), "inputCol"),
                                                    output: metadata.require(metadata.string("outputCol"), "outputCol"),
                                                    p: p) else {
            throw metadata.failure("p \(p) is below 1")
        }
        return try VectorFeature(metadata, inputWidth: nil, outputWidth: nil, kernel: kernel)
    }

    /// `ElementwiseProduct`: `scalingVec`, a vector param.
    static func elementwiseProduct(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let scale = try metadata.require(metadata.vector("scalingVec"), "scalingVec")
        let kernel = try Operators.ElementwiseProduct(input: metadata.require(metadata.string("inputCol"), "inputCol"),
                                                      output: metadata.require(metadata.string("outputCol"), "outputCol"),
                                                      scale: scale)
        return try VectorFeature(metadata, inputWidth: scale.count, outputWidth: scale.count, kernel: kernel)
    }

    /// `RobustScalerModel`: `median` and `range`, applied as StandardScalerModel
    /// applies mean and std (Spark shares the function).
    static func robustScaler(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let median = try SparkVector(row["median"], what: dir.what("median")).dense
        let range = try SparkVector(row["range"], what: dir.what("range")).dense
        let scaling = VectorScaler.Scaling.standard(mean: metadata.bool("withCentering") ?? false ? median : nil,
                                                    std: metadata.bool("withScaling") ?? true ? range : nil)
        guard median.count == range.count,
              let kernel = try VectorScaler(input: metadata.require(metadata.string("inputCol"), "inputCol"),
                                            output: metadata.require(metadata.string("outputCol"), "outputCol"),
                                            scaling: scaling, width: median.count) else {
            throw metadata.failure("median and range differ in size")
        }
        return try VectorFeature(metadata, inputWidth: median.count, outputWidth: median.count, kernel: kernel,
                                 facts: [Fact("width", "\(median.count)")])
    }
}
