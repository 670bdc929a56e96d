import ConveyorCore
import Operators

/// Reads an isotonic_regression node (`boundaries`, `predictions`,
/// `isotonic`, `feature_index` for a vector input) into the
/// IsotonicRegression kernel.
struct IsotonicRegression: NodeTransformer {
    let name: String
    let op = "isotonic_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.IsotonicRegression
    let isotonic: Bool
    let inputWidth: Int?

    init(_ node: BundleNode, types: TypeEnvironment) throws {
        let (features, prediction) = try node.featuresAndPrediction()
        let boundaries = try node.attributes.doubles("boundaries")
        let predictions = try node.attributes.doubles("predictions")
        isotonic = try node.attributes.bool("isotonic", default: true)
        let featureIndex = node.attributes["feature_index"]?.int ?? 0
        guard let kernel = Operators.IsotonicRegression(
            feature: features, prediction: prediction, boundaries: boundaries, predictions: predictions,
            featureIndex: featureIndex) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (\(node.op)): \(boundaries.count) boundaries (must be sorted) for "
                    + "\(predictions.count) predictions, feature_index \(featureIndex)")
        }
        self.kernel = kernel
        let type = types.types[features]
        inputWidth = type?.isVector == true ? type?.vectorWidth : nil
        name = node.name
        inputNames = [features]
        outputs = [ColumnSpec(prediction, .double)]
    }

    var inputType: ColumnType { inputWidth.map { .vector($0) } ?? .double }

    var details: [Fact] {
        [Fact("boundaries", "\(kernel.boundaries.count)"), Fact("isotonic", "\(isotonic)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
