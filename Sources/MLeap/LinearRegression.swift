import ConveyorCore
import Operators

/// Reads a linear_regression node (`coefficients`, `intercept`) into the
/// LinearRegression kernel.
struct LinearRegression: NodeTransformer {
    let name: String
    let op = "linear_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.LinearRegression

    init(_ node: BundleNode) throws {
        let (features, prediction) = try node.featuresAndPrediction()
        kernel = Operators.LinearRegression(features: features, prediction: prediction,
                                            coefficients: try node.attributes.doubles("coefficients"),
                                            intercept: try node.attributes.double("intercept"))
        name = node.name
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { .vector(kernel.coefficients.count) }

    var details: [Fact] { [Fact("features", "\(kernel.coefficients.count)")] }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
