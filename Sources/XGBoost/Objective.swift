import Foundation

/// The learning objectives Conveyor predicts with. Each one was checked
/// bit for bit against real predictions and margins of the producing
/// XGBoost (Tests/Fixtures/xgboost: 1.7.6, 2.1.4, 3.0.5, 3.4.1;
/// Tests/Fixtures/xgboost-objectives: 2.1.4, 3.4.1); other objectives are
/// refused (`ModelSupport`) rather than risk silent mispredictions.
public enum Objective: String, Sendable, CaseIterable, CustomStringConvertible {
    case binaryLogistic = "binary:logistic"
    case binaryLogitRaw = "binary:logitraw"
    case binaryHinge = "binary:hinge"
    case regSquaredError = "reg:squarederror"
    case regSquaredLogError = "reg:squaredlogerror"
    /// One output per `quantile_alpha` (XGBoost 2.0+; only the native engine predicts it).
    case regQuantileError = "reg:quantileerror"
    case regPseudoHuberError = "reg:pseudohubererror"
    case regAbsoluteError = "reg:absoluteerror"
    case regLogistic = "reg:logistic"
    case regGamma = "reg:gamma"
    case regTweedie = "reg:tweedie"
    case countPoisson = "count:poisson"
    case survivalCox = "survival:cox"
    case survivalAFT = "survival:aft"
    case multiSoftprob = "multi:softprob"
    case multiSoftmax = "multi:softmax"
    /// Learning to rank: the prediction is the margin (a score to sort by).
    case rankPairwise = "rank:pairwise"
    case rankNDCG = "rank:ndcg"

    /// Accepts `reg:linear`, the old name libxgboost still maps to squared error.
    public init?(name: String) {
        if name == "reg:linear" { self = .regSquaredError; return }
        self.init(rawValue: name)
    }

    public var description: String { rawValue }

    public var isMultiClass: Bool { self == .multiSoftprob || self == .multiSoftmax }

    /// Objectives libxgboost 1.7.4 cannot load as XGBoost 2.0+ saves them
    /// (an unknown name, or parameters it cannot read): only the native
    /// engine predicts them, from Conveyor's own reading of the model.
    var libraryLoads: Bool {
        switch self {
        case .regQuantileError, .rankPairwise, .rankNDCG: return false
        default: return true
        }
    }

    /// Classifiers (binary or multi-class) as opposed to regressions;
    /// binary:hinge predicts the class (0 or 1) itself.
    public var isClassifier: Bool {
        switch self {
        case .binaryLogistic, .binaryLogitRaw, .binaryHinge, .multiSoftprob, .multiSoftmax: return true
        case .regSquaredError, .regSquaredLogError, .regPseudoHuberError, .regAbsoluteError, .regLogistic,
             .regGamma, .regTweedie, .countPoisson, .survivalCox, .survivalAFT, .regQuantileError,
             .rankPairwise, .rankNDCG:
            return false
        }
    }

    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// XGBoost's ProbToMargin: how a stored base_score becomes a margin.
    enum Link {
        /// The score is a margin already.
        case identity
        /// The score is a probability: margin = -log(1/p - 1).
        case logit
        /// The score is on the scale of exp(margin): margin = log(score).
        case log
    }

    var link: Link {
        switch self {
        case .binaryLogistic, .regLogistic: return .logit
        case .regGamma, .regTweedie, .countPoisson, .survivalCox, .survivalAFT: return .log
        case .binaryLogitRaw, .binaryHinge, .regSquaredError, .regSquaredLogError, .regPseudoHuberError,
             .regAbsoluteError, .multiSoftprob, .multiSoftmax, .regQuantileError, .rankPairwise, .rankNDCG:
            return .identity
        }
    }

    /// The objective's prob→margin link applied to one entry of a 3.1+
    /// vector base_score, in float32 as XGBoost computes it (3.1+
    /// multi-class vectors are margins already: their softmax is the class
    /// frequencies). Nil when the producers would not agree on it: 3.2+
    /// clamp a logistic base_score into [1e-6, 1 - 1e-6] where 3.1 does not,
    /// and a log of a score <= 0 is no finite margin.
    func margin(fromBaseScore score: Float) -> Float? {
        switch link {
        case .logit:
            guard score >= Float(1e-6), score <= Float(1) - Float(1e-6) else { return nil }
            return -Foundation.log(Float(1) / score - Float(1))
        case .log:
            guard score > 0, score.isFinite else { return nil }
            return Foundation.log(score)
        case .identity:
            return score.isFinite ? score : nil
        }
    }
}
