import ConveyorCore
import Operators

/// Reads an aft_survival_regression node (`coefficients`, `intercept`,
/// `scale`, `quantile_probabilities`, Spark's default when absent) into the
/// AFTSurvivalRegression kernel.
struct AFTSurvivalRegression: NodeTransformer {
    let name: String
    let op = "aft_survival_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.AFTSurvivalRegression

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        let probabilities = node.attributes.has("quantile_probabilities")
            ? try node.attributes.doubles("quantile_probabilities")
            : Operators.AFTSurvivalRegression.defaultProbabilities
        let prediction = node.output(port: "prediction")
        let quantiles = node.output(port: "quantiles")
        kernel = Operators.AFTSurvivalRegression(
            features: features, prediction: prediction, quantiles: quantiles,
            coefficients: try node.attributes.doubles("coefficients"), intercept: try node.attributes.double("intercept"),
            scale: try node.attributes.double("scale"), probabilities: probabilities)
        name = node.name
        inputNames = [features]
        var specs: [ColumnSpec] = []
        if let prediction { specs.append(ColumnSpec(prediction, .double)) }
        if let quantiles { specs.append(ColumnSpec(quantiles, .vector(probabilities.count))) }
        outputs = specs
    }

    var inputType: ColumnType { .vector(kernel.coefficients.count) }

    var details: [Fact] {
        [Fact("features", "\(kernel.coefficients.count)"), Fact("scale", "\(kernel.scale)"),
         Fact("quantiles", "\(kernel.quantileFactors.count)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
