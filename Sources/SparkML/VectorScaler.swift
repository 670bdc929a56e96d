import ConveyorCore
import Parquet

/// StandardScalerModel, MinMaxScalerModel and MaxAbsScalerModel: one
/// vector column scaled element-wise with the fitted statistics, computed
/// in the order Spark computes them (multiplying by precomputed scales).
struct VectorScaler: SparkTransformer {
    enum Kind: Sendable {
        case standard(shift: [Double]?, scale: [Double]?)
        case minMax(originalMin: [Double], scale: [Double], low: Double, high: Double)
        case maxAbs(scale: [Double])
    }

    let metadata: SparkMetadata
    let input: String
    let output: String
    let kind: Kind
    let width: Int

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        input = try metadata.require(metadata.string("inputCol"), "inputCol")
        output = try metadata.require(metadata.string("outputCol"), "outputCol")
        let row = try dir.singleRow()
        func vector(_ name: String) throws -> [Double] { try SparkVector(row[name], what: dir.what(name)).dense }
        switch metadata.className.split(separator: ".").last {
        case "StandardScalerModel":
            let std = try vector("std"), mean = try vector("mean")
            let withMean = metadata.bool("withMean") ?? false, withStd = metadata.bool("withStd") ?? true
            guard std.count == mean.count else { throw metadata.failure("std and mean differ in size") }
            kind = .standard(shift: withMean ? mean : nil, scale: withStd ? std.map { $0 == 0 ? 0 : 1 / $0 } : nil)
            width = std.count
        case "MinMaxScalerModel":
            let low = metadata.double("min") ?? 0, high = metadata.double("max") ?? 1
            let originalMin = try vector("originalMin"), originalMax = try vector("originalMax")
            guard originalMin.count == originalMax.count else { throw metadata.failure("originalMin and originalMax differ in size") }
            let scale = zip(originalMin, originalMax).map { min, max in max - min != 0 ? (high - low) / (max - min) : 0 }
            kind = .minMax(originalMin: originalMin, scale: scale, low: low, high: high)
            width = originalMin.count
        default:
            let maxAbs = try vector("maxAbs")
            kind = .maxAbs(scale: maxAbs.map { $0 == 0 ? 1 : 1 / $0 })
            width = maxAbs.count
        }
    }

    var inputs: [ColumnSpec] { [ColumnSpec(input, .vector(width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(output, .vector(width))] }

    var dataFacts: [Fact] { [Fact("width", "\(width)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let column = try frame.require(input, stage: stage)
        let (inputWidth, rows) = try column.optionalVectors(stage: stage)
        guard inputWidth == width || rows.isEmpty else {
            throw ConveyorError(.invalidInput, "expected vectors of \(width) values, got \(inputWidth)", stage: stage, column: input)
        }
        let scaled: [[Double]?] = rows.map { row in
            guard let row else { return nil }
            var values = Array(row)
            switch kind {
            case .standard(let shift, let scale):
                for i in 0..<width {
                    if let shift { values[i] -= shift[i] }
                    if let scale { values[i] *= scale[i] }
                }
            case .minMax(let originalMin, let scale, let low, let high):
                for i in 0..<width where !values[i].isNaN {
                    values[i] = scale[i] != 0 ? (values[i] - originalMin[i]) * scale[i] + low : 0.5 * (high - low) + low
                }
            case .maxAbs(let scale):
                for i in 0..<width { values[i] *= scale[i] }
            }
            return values
        }
        var result = frame
        try result.put(Columns.vectors(output, width: width, scaled))
        return result
    }
}
