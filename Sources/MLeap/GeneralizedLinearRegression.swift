import ConveyorCore
import Operators

/// Reads a generalized_linear_regression node (`coefficients`, `intercept`,
/// `family`, `link`; without a link, the family's canonical one, as Spark
/// defaults) into the GeneralizedLinearRegression kernel, writing
/// `prediction` and `link_prediction` when the node names them.
struct GeneralizedLinearRegression: NodeTransformer {
    let name: String
    let op = "generalized_linear_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.GeneralizedLinearRegression

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        let coefficients = try node.attributes.doubles("coefficients")
        let intercept = node.attributes.has("intercept") ? try node.attributes.double("intercept") : 0
        let familyName = node.attributes["family"]?.string ?? "gaussian"
        let linkName = node.attributes["link"]?.string
        let family = Operators.GeneralizedLinearRegression.Family(rawValue: familyName)
        guard let family,
              let link = linkName.map({ Operators.GeneralizedLinearRegression.Link(name: $0) }) ?? family.canonicalLink else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (\(node.op)): link '\(linkName ?? "?")' for family '\(familyName)' is not supported; "
                    + "links: \(Operators.GeneralizedLinearRegression.Link.names.joined(separator: ", "))")
        }
        let prediction = node.output(port: "prediction")
        let linkColumn = node.output(port: "link_prediction")
        kernel = Operators.GeneralizedLinearRegression(
            features: features, prediction: prediction, linkPrediction: linkColumn, coefficients: coefficients,
            intercept: intercept, family: family, link: link)
        name = node.name
        inputNames = [features]
        outputs = [prediction, linkColumn].compactMap { $0 }.map { ColumnSpec($0, .double) }
        guard !outputs.isEmpty else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no outputs")
        }
    }

    var inputType: ColumnType { .vector(kernel.coefficients.count) }

    var details: [Fact] {
        [Fact("features", "\(kernel.coefficients.count)"), Fact("family", kernel.family.rawValue),
         Fact("link", kernel.link.description)]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
