import ConveyorCore
import Foundation

/// Spark's GeneralizedLinearRegressionModel: η = coefficients · x +
/// intercept; prediction = the link's inverse at η; `link_prediction` = η.
/// Without a `link`, the family's canonical link (Spark's defaults).
struct GeneralizedLinearRegression: NodeTransformer {
    enum Link: String, Sendable, CaseIterable {
        case identity, log, logit, inverse, probit, cloglog, sqrt

        func unlink(_ eta: Double) -> Double {
            switch self {
            case .identity: return eta
            case .log: return exp(eta)
            case .logit: return 1 / (1 + exp(-eta))
            case .inverse: return 1 / eta
            case .probit: return 0.5 * (1 + erf(eta / 2.0.squareRoot()))  // breeze's Gaussian(0, 1).cdf
            case .cloglog: return 1 - exp(-exp(eta))
            case .sqrt: return eta * eta
            }
        }
    }

    static let canonical: [String: Link] = [
        "gaussian": .identity, "binomial": .logit, "poisson": .log, "gamma": .inverse, "tweedie": .log,
    ]

    let name: String
    let op = "generalized_linear_regression"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let coefficients: [Double]
    let intercept: Double
    let family: String
    let link: Link
    let predictionColumn: String?
    let linkColumn: String?

    init(_ node: BundleNode) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        coefficients = try node.attributes.doubles("coefficients")
        intercept = node.attributes.has("intercept") ? try node.attributes.double("intercept") : 0
        family = node.attributes["family"]?.string ?? "gaussian"
        let linkName = node.attributes["link"]?.string
        guard let link = linkName.map({ Link(rawValue: $0) }) ?? Self.canonical[family] else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (\(node.op)): link '\(linkName ?? "?")' for family '\(family)' is not supported; "
                    + "links: \(Link.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.link = link
        name = node.name
        inputNames = [features]
        predictionColumn = node.output(port: "prediction")
        linkColumn = node.output(port: "link_prediction")
        outputs = [predictionColumn, linkColumn].compactMap { $0 }.map { ColumnSpec($0, .double) }
        guard !outputs.isEmpty else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no outputs")
        }
    }

    var inputType: ColumnType { .vector(coefficients.count) }

    var details: [Fact] {
        [Fact("features", "\(coefficients.count)"), Fact("family", family), Fact("link", link.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let block = try Inputs.block(frame, inputNames[0], width: coefficients.count, stage: stage)
        var etas = [Double](repeating: intercept, count: block.rowCount)
        for row in 0..<etas.count {
            let x = block.row(row)
            var sum = 0.0
            for i in 0..<coefficients.count { sum += x[x.startIndex + i] * coefficients[i] }
            etas[row] += sum
        }
        if let predictionColumn { try frame.put(.doubles(predictionColumn, etas.map(link.unlink))) }
        if let linkColumn { try frame.put(.doubles(linkColumn, etas)) }
    }
}
