import ConveyorCore
import Foundation

/// Spark's AFTSurvivalRegressionModel: prediction λ = exp(coefficients · x +
/// intercept); quantiles = λ · exp(log(−log(1 − q)) · scale) for each of
/// `quantile_probabilities` (Spark 2.2's formula).
struct AFTSurvivalRegression: NodeTransformer {
    let name: String
    let op = "aft_survival_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let coefficients: [Double]
    let intercept: Double
    let scale: Double
    let quantileFactors: [Double]
    let predictionColumn: String?
    let quantilesColumn: String?

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        coefficients = try node.attributes.doubles("coefficients")
        intercept = try node.attributes.double("intercept")
        scale = try node.attributes.double("scale")
        let probabilities = node.attributes.has("quantile_probabilities")
            ? try node.attributes.doubles("quantile_probabilities")
            : [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]  // Spark's default
        quantileFactors = probabilities.map { [scale] q in exp(log(-log(1 - q)) * scale) }
        name = node.name
        inputNames = [features]
        predictionColumn = node.output(port: "prediction")
        quantilesColumn = node.output(port: "quantiles")
        var specs: [ColumnSpec] = []
        if let predictionColumn { specs.append(ColumnSpec(predictionColumn, .double)) }
        if let quantilesColumn { specs.append(ColumnSpec(quantilesColumn, .vector(probabilities.count))) }
        outputs = specs
    }

    var inputType: ColumnType { .vector(coefficients.count) }

    var details: [Fact] {
        [Fact("features", "\(coefficients.count)"), Fact("scale", "\(scale)"), Fact("quantiles", "\(quantileFactors.count)")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: coefficients.count, stage: stage)
        let rows = block.rowCount
        var predictions = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            let x = block.row(row)
            var dot = 0.0
            for i in 0..<coefficients.count { dot += x[x.startIndex + i] * coefficients[i] }
            predictions[row] = exp(dot + intercept)
        }
        if let predictionColumn { try frame.put(.doubles(predictionColumn, predictions)) }
        if let quantilesColumn {
            let k = quantileFactors.count
            var quantiles = VectorBlock(width: k, rows: rows)
            for row in 0..<rows {
                for j in 0..<k { quantiles.storage[row * k + j] = predictions[row] * quantileFactors[j] }
            }
            try frame.put(.vectors(quantilesColumn, quantiles))
        }
    }
}

/// Spark's IsotonicRegressionModel: piecewise-linear interpolation between
/// `boundaries` and `predictions`, constant outside them. The lookup is
/// Java's `Arrays.binarySearch` step for step, so that repeated boundaries
/// pick the same point Spark picks. The input is a scalar column, or
/// element `feature_index` of a vector column.
struct IsotonicRegression: NodeTransformer {
    let name: String
    let op = "isotonic_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let boundaries: [Double]
    let predictions: [Double]
    let isotonic: Bool
    let featureIndex: Int?
    let inputWidth: Int?

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first,
              let prediction = node.output(port: "prediction") ?? node.outputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features/prediction")
        }
        boundaries = try node.attributes.doubles("boundaries")
        predictions = try node.attributes.doubles("predictions")
        isotonic = try node.attributes.bool("isotonic", default: true)
        guard !boundaries.isEmpty, boundaries.count == predictions.count,
              zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (\(node.op)): \(boundaries.count) boundaries (must be sorted) for "
                    + "\(predictions.count) predictions")
        }
        featureIndex = node.attributes["feature_index"]?.int
        let type = types.types[features]
        inputWidth = type?.isVector == true ? type?.vectorWidth : nil
        name = node.name
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { inputWidth.map { .vector($0) } ?? .double }

    var details: [Fact] {
        [Fact("boundaries", "\(boundaries.count)"), Fact("isotonic", "\(isotonic)")]
    }

    /// `java.util.Arrays.binarySearch(double[], double)`.
    static func javaBinarySearch(_ a: [Double], _ key: Double) -> Int {
        var low = 0
        var high = a.count - 1
        while low <= high {
            let mid = (low + high) >> 1
            let value = a[mid]
            if value < key {
                low = mid + 1
            } else if value > key {
                high = mid - 1
            } else {
                // Java compares bit patterns on equality (−0.0 < 0.0; NaN equals NaN).
                let valueBits = value.isNaN ? Double.nan.bitPattern : value.bitPattern
                let keyBits = key.isNaN ? Double.nan.bitPattern : key.bitPattern
                if valueBits == keyBits { return mid }
                if Int64(bitPattern: valueBits) < Int64(bitPattern: keyBits) { low = mid + 1 } else { high = mid - 1 }
            }
        }
        return -(low + 1)
    }

    func predict(_ x: Double) -> Double {
        let found = Self.javaBinarySearch(boundaries, x)
        let insert = -found - 1
        if insert == 0 { return predictions[0] }
        if insert == boundaries.count { return predictions[predictions.count - 1] }
        if found >= 0 { return predictions[found] }
        let (x1, y1, x2, y2) = (boundaries[insert - 1], predictions[insert - 1], boundaries[insert], predictions[insert])
        return y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(inputNames[0], stage: stage)
        let values: [Double]
        if column.type.isVector {
            let block = try column.vectorBlock(stage: stage)
            let index = featureIndex ?? 0
            guard index < block.width else {
                throw ConveyorError(
                    .invalidInput, "feature_index \(index) is outside a vector of width \(block.width)",
                    stage: stage, column: inputNames[0])
            }
            values = (0..<block.rowCount).map { block.row($0)[block.row($0).startIndex + index] }
        } else {
            values = try column.scalarDoubles(stage: stage)
        }
        try frame.put(.doubles(outputs[0].name, values.map(predict)))
    }
}
