import ConveyorCore
import XGBoost

/// The keys of the SageMaker XGBoost container's `SAGEMAKER_INFERENCE_OUTPUT`,
/// with the container's meaning (algorithm_mode/serve_utils.py): all are
/// computed from the booster's normal prediction, so `raw_score` is the
/// predicted value (probability, class index), not a margin.
public enum OutputKey: String, Sendable, CaseIterable {
    case predictedLabel = "predicted_label"
    case labels
    case probability
    case probabilities
    case rawScore = "raw_score"
    case rawScores = "raw_scores"
    case predictedScore = "predicted_score"

    /// The keys the container accepts for each objective. It answers the
    /// others with NaN and a warning; Conveyor refuses them at load. The
    /// container knows reg:gamma and reg:tweedie but none of the other
    /// regression, count and survival objectives (it refuses selectable
    /// output for them); Conveyor gives them `predicted_score` too.
    public static func valid(for objective: Objective) -> [OutputKey] {
        switch objective {
        case .regSquaredError, .regLogistic, .regGamma, .regTweedie, .regSquaredLogError, .regPseudoHuberError,
             .regAbsoluteError, .countPoisson, .survivalCox, .survivalAFT, .regQuantileError, .rankPairwise, .rankNDCG:
            return [.predictedScore]
        case .binaryLogistic, .multiSoftprob:
            return [.predictedLabel, .labels, .probability, .probabilities, .rawScore, .rawScores]
        case .binaryLogitRaw, .binaryHinge, .multiSoftmax:
            return [.predictedLabel, .labels, .rawScore, .rawScores]
        }
    }

    /// The keys for a model: a multi-target model predicts one value per
    /// target, so only a regression's `predicted_score` (a vector) applies.
    static func valid(for facts: ModelFacts) -> [OutputKey] {
        guard !facts.objective.isMultiClass, facts.outputGroups > 1 else { return valid(for: facts.objective) }
        return facts.objective.isClassifier ? [] : [.predictedScore]
    }

    /// The column type this key produces for a model. Values are float32
    /// results, so the scalar type is `float`.
    func columnType(_ facts: ModelFacts) -> ColumnType {
        switch self {
        case .predictedLabel, .probability, .rawScore:
            return ColumnType(.float)
        case .predictedScore:
            // One value per target of a multi-target regression.
            let width = facts.outputGroups
            return width > 1 ? ColumnType(.float, .vector(width: width)) : ColumnType(.float)
        case .labels, .probabilities:
            return ColumnType(.float, .vector(width: Self.classCount(facts)))
        case .rawScores:
            // The container gives softprob's K probabilities, and [1 - v, v]
            // for every other classifier (multi:softmax included).
            return ColumnType(.float, .vector(width: facts.objective == .multiSoftprob ? facts.outputGroups : 2))
        }
    }

    /// Classes a classifier distinguishes: 2 for binary, K for multi-class.
    static func classCount(_ facts: ModelFacts) -> Int {
        facts.objective.isMultiClass ? facts.outputGroups : 2
    }
}

/// What the stage adds: the container's default single prediction, or
/// the selected keys.
enum OutputSelection: Sendable, Equatable {
    /// One column `score`: the booster's prediction as is (a K-vector for
    /// multi:softprob, else a scalar), like the container's default output.
    case score
    case keys([OutputKey])

    static let scoreColumn = "score"

    /// How many columns the stage adds.
    var columnCount: Int {
        switch self {
        case .score: return 1
        case .keys(let keys): return keys.count
        }
    }
}
