import Foundation

/// The learning objectives Conveyor predicts with. Each one was checked
/// against real predictions of XGBoost 1.7.6, 2.1.4, 3.0.5 and 3.4.1;
/// other objectives are refused rather than risk silent mispredictions.
public enum Objective: String, Sendable, CaseIterable, CustomStringConvertible {
    case binaryLogistic = "binary:logistic"
    case binaryLogitRaw = "binary:logitraw"
    case regSquaredError = "reg:squarederror"
    case regLogistic = "reg:logistic"
    case multiSoftprob = "multi:softprob"
    case multiSoftmax = "multi:softmax"

    /// Accepts `reg:linear`, the old name libxgboost still maps to squared error.
    public init?(name: String) {
        if name == "reg:linear" { self = .regSquaredError; return }
        self.init(rawValue: name)
    }

    public var description: String { rawValue }

    public var isMultiClass: Bool { self == .multiSoftprob || self == .multiSoftmax }

    /// Classifiers (binary or multi-class) as opposed to regressions.
    public var isClassifier: Bool {
        switch self {
        case .binaryLogistic, .binaryLogitRaw, .multiSoftprob, .multiSoftmax: return true
        case .regSquaredError, .regLogistic: return false
        }
    }

    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The objective's prob→margin link applied to a stored base_score, in
    /// float32 as XGBoost computes it. Logistic objectives store a
    /// probability; the others store a margin (3.1+ multi-class vectors
    /// are margins already: their softmax is the class frequencies).
    func margin(fromBaseScore score: Float) -> Float? {
        switch self {
        case .binaryLogistic, .regLogistic:
            guard score > 0, score < 1 else { return nil }
            return -log(Float(1) / score - Float(1))
        case .binaryLogitRaw, .regSquaredError, .multiSoftprob, .multiSoftmax:
            return score.isFinite ? score : nil
        }
    }
}
