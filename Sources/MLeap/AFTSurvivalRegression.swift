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
