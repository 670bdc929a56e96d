import ConveyorCore
import Operators
import Parquet

/// Readers of the vector stages whose shape is not a fixed list of weights:
/// PolynomialExpansion and DCT (built for the input's width), VectorIndexerModel.
extension VectorFeature {
    /// `PolynomialExpansion`: `degree` (default 2), for any input width.
    static func polynomialExpansion(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let degree = try metadata.int("degree", in: 1...64) ?? 2
        let input = try metadata.require(metadata.string("inputCol"), "inputCol")
        let output = try metadata.require(metadata.string("outputCol"), "outputCol")
        // Each row of the output is this many doubles: bounded as a wide model input would be.
        let maxWidth = 1 << 16
        let kernel = PerWidthKernel(
            input: input,
            make: { Operators.PolynomialExpansion(input: input, output: output, degree: degree, inputWidth: $0,
                                                  maxOutputWidth: maxWidth) },
            limit: "at degree \(degree), at most \(Operators.PolynomialExpansion.maxInputWidth) inputs and \(maxWidth) outputs")
        return try VectorFeature(
            metadata, inputWidth: nil, outputWidth: nil,
            outputWidthFor: { width in
                let size = Operators.PolynomialExpansion.polySize(width, degree)
                return size <= Double(maxWidth) + 1 ? Int(size.rounded()) - 1 : nil
            }, kernel: kernel, facts: [Fact("degree", "\(degree)")])
    }

    /// `DCT`: `inverse` (default false), for any input width up to the kernel's limit.
    static func dct(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let inverse = metadata.bool("inverse") ?? false
        let input = try metadata.require(metadata.string("inputCol"), "inputCol")
        let output = try metadata.require(metadata.string("outputCol"), "outputCol")
        let kernel = PerWidthKernel(
            input: input, make: { Operators.DCT(input: input, output: output, width: $0, inverse: inverse) },
            limit: "DCT takes 1 to \(Operators.DCT.maxWidth) values")
        return try VectorFeature(metadata, inputWidth: nil, outputWidth: nil, kernel: kernel)
    }

    /// `VectorIndexerModel`: `numFeatures` and `categoryMaps` (a Parquet map of
    /// feature index → map of value → category), `handleInvalid`.
    static func vectorIndexer(_ dir: SparkStageDirectory) throws -> VectorFeature {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        guard let rawWidth = row["numFeatures"]?.int, rawWidth >= 0, rawWidth < Int64(SparkMatrix.maxValues) else {
            throw metadata.failure("data lacks numFeatures")
        }
        let width = Int(rawWidth)
        let features = try mapEntries(row["categoryMaps"], metadata).map { entry in
            guard let key = entry.key.int, key >= 0, key < rawWidth else {
                throw metadata.failure("a categorical feature outside the \(width) features")
            }
            var categories: [Double: Double] = [:]
            for category in try mapEntries(entry.value, metadata) {
                guard let value = category.key.double, let index = category.value.int else {
                    throw metadata.failure("a category map entry is not a number and an index")
                }
                categories[value] = Double(index)
            }
            return Operators.VectorIndexer.Feature(index: Int(key), categories: categories)
        }.sorted { $0.index < $1.index }
        let handle = try HandleInvalid(metadata)
        guard let kernel = try Operators.VectorIndexer(
            input: metadata.require(metadata.string("inputCol"), "inputCol"),
            output: metadata.require(metadata.string("outputCol"), "outputCol"), width: width, features: features,
            handleInvalid: handle) else { throw metadata.failure("a categorical feature outside the width") }
        return try VectorFeature(
            metadata, inputWidth: width, outputWidth: width, kernel: kernel,
            facts: [Fact("width", "\(width)"),
                    Fact("categorical", features.map { "\($0.index) (\($0.categories.count))" }.joined(separator: ", "))])
    }

    /// The entries of a Parquet MAP value (a list of key/value records).
    private static func mapEntries(_ value: ParquetValue?, _ metadata: SparkMetadata) throws
        -> [(key: ParquetValue, value: ParquetValue)] {
        guard let value, !value.isNull else { return [] }
        let items = value.list ?? value["key_value"]?.list ?? value["map"]?.list
        guard let items else { throw metadata.failure("categoryMaps is not a map") }
        return try items.map { item in
            guard let key = item["key"], let entry = item["value"] else { throw metadata.failure("a map entry lacks key or value") }
            return (key, entry)
        }
    }
}
