import ConveyorCore
import LightGBM

/// What a `lightgbm` stage can return, named as the `xgboost` stage names
/// its outputs where the meaning is the same. `raw_score` is LightGBM's own
/// meaning: `predict(raw_score=True)`, the margins before the objective's
/// transform (the SageMaker XGBoost container uses the name for the
/// prediction itself).
public enum LightGBMOutput: String, Sendable, CaseIterable {
    /// The class: binary 1 when p > 1 − p, else 0; multi-class the first
    /// index of the largest probability (scikit-learn's LGBMClassifier.predict).
    case predictedLabel = "predicted_label"
    /// Binary: p; multi-class: the probability of the predicted class.
    case probability
    /// Binary: [1 − p, p]; multi-class: one value per class (LGBMClassifier.predict_proba).
    case probabilities
    /// `predict(raw_score=True)`: one margin per tree of an iteration.
    case rawScore = "raw_score"
    /// Regression, count, ranking and custom objectives: `predict`.
    case predictedScore = "predicted_score"

    /// The column when none is chosen: `predict` as is.
    public static let scoreColumn = "score"

    static func valid(for model: LightGBMModel) -> [LightGBMOutput] {
        model.objective.isBinary || model.objective.isMultiClass
            ? [.predictedLabel, .probability, .probabilities, .rawScore] : [.predictedScore, .rawScore]
    }

    func columnType(_ model: LightGBMModel) -> ColumnType {
        switch self {
        case .predictedLabel, .probability: return .double
        case .probabilities: return .vector(model.objective.isBinary ? 2 : model.outputs)
        case .rawScore, .predictedScore: return model.outputs > 1 ? .vector(model.outputs) : .double
        }
    }

    /// The key list of a stage definition, checked against the model.
    static func selection(_ names: [String]?, model: LightGBMModel, stage: String) throws -> [LightGBMOutput]? {
        guard let names else { return nil }
        let valid = valid(for: model)
        var keys: [LightGBMOutput] = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard let key = LightGBMOutput(rawValue: name) else {
                throw ConveyorError(.invalidPipeline,
                                    "unknown LightGBM output '\(raw.boundedForMessage(64))'; expected one of "
                                        + allCases.map(\.rawValue).joined(separator: ", "), stage: stage)
            }
            guard valid.contains(key) else {
                throw ConveyorError(.invalidPipeline,
                                    "output '\(key.rawValue)' is not available for objective '\(model.objective.name)'; "
                                        + "available: " + valid.map(\.rawValue).joined(separator: ", "), stage: stage)
            }
            guard !keys.contains(key) else {
                throw ConveyorError(.invalidPipeline, "output '\(key.rawValue)' is listed twice", stage: stage)
            }
            keys.append(key)
        }
        guard !keys.isEmpty else {
            throw ConveyorError(.invalidPipeline, "the list of LightGBM outputs is empty", stage: stage)
        }
        return keys
    }
}
