import ConveyorCore
import Foundation

/// The `objective=` line and what LightGBM's `ConvertOutput` does with raw
/// scores for it (src/objective/*.hpp), in double precision as LightGBM
/// computes it.
public struct LightGBMObjective: Sendable, Equatable {
    public enum Transform: Sendable, Equatable {
        /// Raw scores as they are (regression, huber, ranking, custom).
        case identity
        /// `reg_sqrt`: sign(x)·x·x.
        case signedSquare
        /// poisson, gamma, tweedie.
        case exp
        /// binary: 1 / (1 + exp(−σ·x)).
        case sigmoid(Double)
        /// multiclass.
        case softmax
        /// multiclassova: the sigmoid of each class.
        case sigmoidEach(Double)
        /// cross_entropy: 1 / (1 + exp(−x)).
        case logistic
        /// cross_entropy_lambda: log1p(exp(x)).
        case log1pExp
    }

    /// The objective's name as LightGBM writes it (`custom` when none).
    public let name: String
    /// The line as written, for `inspect`.
    public let line: String
    public let transform: Transform
    /// Classes for multiclass and multiclassova.
    public let numClass: Int?

    public var isBinary: Bool { name == "binary" }
    public var isMultiClass: Bool { name == "multiclass" || name == "multiclassova" }

    /// LightGBM's `ParseObjectiveAlias` applies to the whole line.
    static func alias(_ line: String) -> String {
        switch line {
        case "regression", "regression_l2", "mean_squared_error", "mse", "l2", "l2_root", "root_mean_squared_error",
             "rmse": return "regression"
        case "regression_l1", "mean_absolute_error", "l1", "mae": return "regression_l1"
        case "multiclass", "softmax": return "multiclass"
        case "multiclassova", "multiclass_ova", "ova", "ovr": return "multiclassova"
        case "xentropy", "cross_entropy": return "cross_entropy"
        case "xentlambda", "cross_entropy_lambda": return "cross_entropy_lambda"
        case "mean_absolute_percentage_error", "mape": return "mape"
        case "rank_xendcg", "xendcg", "xe_ndcg", "xe_ndcg_mart", "xendcg_mart": return "rank_xendcg"
        case "none", "null", "custom", "na": return "custom"
        default: return line
        }
    }

    /// `line` is nil when the model has no objective (LightGBM then returns raw scores).
    init(line: String?, source: String) throws(ConveyorError) {
        guard let line else {
            self.init(name: "custom", line: "(none)", transform: .identity, numClass: nil)
            return
        }
        let tokens = Self.alias(line).split(separator: " ").map(String.init)
        guard let type = tokens.first else {
            throw ConveyorError(.modelCorrupt, "LightGBM model \(source): the objective line is empty")
        }
        var parameters: [String: String] = [:]
        for token in tokens.dropFirst() {
            let parts = token.split(separator: ":", omittingEmptySubsequences: true)
            if parts.count == 2 { parameters[String(parts[0])] = String(parts[1]) }
        }
        let sqrt = tokens.contains("sqrt")
        func sigmoid() throws(ConveyorError) -> Double {
            guard let text = parameters["sigmoid"], let value = TextNumbers.atof(text), value > 0, value.isFinite else {
                throw ConveyorError(.modelCorrupt,
                                    "LightGBM model \(source): objective '\(line.boundedForMessage(80))' needs sigmoid:<positive number>")
            }
            return value
        }
        func classes() throws(ConveyorError) -> Int {
            guard let text = parameters["num_class"], let value = TextNumbers.integer(ArraySlice(text.utf8)),
                  value >= 1, value <= LightGBMLimits.maxOutputs else {
                throw ConveyorError(.modelCorrupt,
                                    "LightGBM model \(source): objective '\(line.boundedForMessage(80))' needs num_class:<1 to \(LightGBMLimits.maxOutputs)>")
            }
            return value
        }
        let transform: Transform
        var numClass: Int?
        switch type {
        case "regression", "regression_l1", "quantile", "fair", "mape": transform = sqrt ? .signedSquare : .identity
        case "huber", "lambdarank", "rank_xendcg", "custom": transform = .identity  // huber drops sqrt
        case "poisson", "gamma", "tweedie": transform = .exp
        case "binary": transform = .sigmoid(try sigmoid())
        case "multiclass":
            numClass = try classes()
            transform = .softmax
        case "multiclassova":
            numClass = try classes()
            transform = .sigmoidEach(try sigmoid())
        case "cross_entropy": transform = .logistic
        case "cross_entropy_lambda": transform = .log1pExp
        default:
            throw ConveyorError(.unsupportedModel,
                                "LightGBM model \(source): objective '\(type.boundedForMessage(80))' is not supported "
                                    + "(LightGBM 4 knows regression, regression_l1, huber, fair, quantile, mape, poisson, "
                                    + "gamma, tweedie, binary, multiclass, multiclassova, cross_entropy, "
                                    + "cross_entropy_lambda, lambdarank, rank_xendcg, custom)")
        }
        self.init(name: type, line: line, transform: transform, numClass: numClass)
    }

    init(name: String, line: String, transform: Transform, numClass: Int?) {
        self.name = name
        self.line = line
        self.transform = transform
        self.numClass = numClass
    }
}
