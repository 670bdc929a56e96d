import ConveyorCore
import Foundation

/// Spark's GeneralizedLinearRegressionModel: η = coefficients · x +
/// intercept; prediction = the family's projection of the link's inverse at
/// η (`FamilyAndLink.fitted`); the link prediction = η. A null feature
/// vector gives nulls.
public struct GeneralizedLinearRegression: Kernel {
    public enum Link: Sendable, Equatable, CustomStringConvertible {
        case identity, log, logit, inverse, probit, cloglog, sqrt
        /// Tweedie's power link (η = μ^p; p = 0 is log).
        case power(Double)

        public init?(name: String) {
            switch name {
            case "identity": self = .identity
            case "log": self = .log
            case "logit": self = .logit
            case "inverse": self = .inverse
            case "probit": self = .probit
            case "cloglog": self = .cloglog
            case "sqrt": self = .sqrt
            default: return nil
            }
        }

        /// Spark's `Link.fromParams` for the tweedie family.
        public static func tweedie(linkPower: Double) -> Link {
            switch linkPower {
            case 0: return .log
            case 1: return .identity
            case -1: return .inverse
            case 0.5: return .sqrt
            default: return .power(linkPower)
            }
        }

        public static let names = ["identity", "log", "logit", "inverse", "probit", "cloglog", "sqrt"]

        public func unlink(_ eta: Double) -> Double {
            switch self {
            case .identity: return eta
            case .log: return exp(eta)
            case .logit: return 1 / (1 + exp(-1 * eta))
            case .inverse: return 1 / eta
            case .probit: return 0.5 * (1 + erf(eta / 2.0.squareRoot()))  // breeze's Gaussian(0, 1).cdf
            case .cloglog: return 1 - exp(-1 * exp(eta))
            case .sqrt: return eta * eta
            case .power(let p): return p == 0 ? exp(eta) : pow(eta, 1 / p)
            }
        }

        public var description: String {
            switch self {
            case .identity: return "identity"
            case .log: return "log"
            case .logit: return "logit"
            case .inverse: return "inverse"
            case .probit: return "probit"
            case .cloglog: return "cloglog"
            case .sqrt: return "sqrt"
            case .power(let p): return "power \(p)"
            }
        }
    }

    public enum Family: String, Sendable, CaseIterable {
        case gaussian, binomial, poisson, gamma, tweedie

        public var canonicalLink: Link {
            switch self {
            case .gaussian: return .identity
            case .binomial: return .logit
            case .poisson, .tweedie: return .log
            case .gamma: return .inverse
            }
        }

        /// `Family.project`: keeps μ inside the family's domain.
        public func project(_ mu: Double) -> Double {
            let epsilon = 1e-16
            switch self {
            case .gaussian:
                return mu == -.infinity ? -Double.greatestFiniteMagnitude : mu == .infinity ? Double.greatestFiniteMagnitude : mu
            case .binomial:
                return mu < epsilon ? epsilon : mu > 1 - epsilon ? 1 - epsilon : mu
            case .poisson, .gamma, .tweedie:
                return mu < epsilon ? epsilon : mu.isInfinite ? Double.greatestFiniteMagnitude : mu
            }
        }
    }

    public let features: String
    public let prediction: String?
    public let linkPrediction: String?
    public let coefficients: [Double]
    public let intercept: Double
    public let family: Family
    public let link: Link

    public init(features: String, prediction: String?, linkPrediction: String?, coefficients: [Double], intercept: Double,
                family: Family, link: Link) {
        self.features = features
        self.prediction = prediction
        self.linkPrediction = linkPrediction
        self.coefficients = coefficients
        self.intercept = intercept
        self.family = family
        self.link = link
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, features, width: coefficients.count, stage: stage)
        let n = coefficients.count
        var etas = [Double](repeating: 0, count: block.rowCount)
        let featureValues = block.storage
        for row in 0..<etas.count {
            var dot = 0.0
            for i in 0..<n { dot += featureValues[row * n + i] * coefficients[i] }
            etas[row] = dot + intercept
        }
        if let prediction { try frame.put(.doubles(prediction, etas.map { family.project(link.unlink($0)) }, nulls: nulls)) }
        if let linkPrediction { try frame.put(.doubles(linkPrediction, etas, nulls: nulls)) }
    }
}
