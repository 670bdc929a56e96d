import ConveyorCore
import Operators
import Parquet

/// Reads a saved StandardScalerModel, MinMaxScalerModel or MaxAbsScalerModel
/// into the VectorScaler kernel.
struct VectorScalerModel: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: VectorScaler

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let input = try metadata.require(metadata.string("inputCol"), "inputCol")
        let output = try metadata.require(metadata.string("outputCol"), "outputCol")
        let row = try dir.singleRow()
        func vector(_ name: String) throws -> [Double] { try SparkVector(row[name], what: dir.what(name)).dense }
        let scaling: VectorScaler.Scaling
        var width: Int?
        switch metadata.className.split(separator: ".").last {
        case "StandardScalerModel":
            let std = try vector("std"), mean = try vector("mean")
            guard std.count == mean.count else { throw metadata.failure("std and mean differ in size") }
            let withMean = metadata.bool("withMean") ?? false, withStd = metadata.bool("withStd") ?? true
            scaling = .standard(mean: withMean ? mean : nil, std: withStd ? std : nil)
            width = std.count
        case "MinMaxScalerModel":
            scaling = .minMax(originalMin: try vector("originalMin"), originalMax: try vector("originalMax"),
                              low: metadata.double("min") ?? 0, high: metadata.double("max") ?? 1)
        default:
            scaling = .maxAbs(try vector("maxAbs"))
        }
        guard let kernel = VectorScaler(input: input, output: output, scaling: scaling, width: width) else {
            throw metadata.failure("the fitted statistics differ in size")
        }
        self.kernel = kernel
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .vector(kernel.width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .vector(kernel.width))] }

    var dataFacts: [Fact] { [Fact("width", "\(kernel.width)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
