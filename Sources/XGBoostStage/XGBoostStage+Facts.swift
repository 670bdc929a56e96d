import ConveyorCore
import XGBoost

extension XGBoostStage {
    /// What `conveyor inspect` shows about the model.
    public var facts: [Fact] {
        let model = self.model
        var baseScore = model.storedBaseScore
        if let margins = model.correctedBaseMargins {
            // libxgboost 1.7.4 ignores a vector base_score; say what is applied instead
            // (the engine starts from these margins; libxgboost gets them as base_margin).
            baseScore += " (corrected: predicted from the margins \(margins.map { "\($0)" }.joined(separator: ", ")))"
        }
        return [
            Fact("model", modelURL.path),
            Fact("packaging", packaging),
            Fact("format", model.format.rawValue),
            Fact("xgboost version", model.producerVersionString ?? "unknown (legacy binary)"),
            Fact("objective", model.objective.rawValue),
            Fact("num_feature", "\(model.numFeature)"),
            Fact("num_class", "\(model.numClass)"),
            Fact("trees", "\(model.trees)"),
            Fact("boosted rounds", "\(model.boostedRounds)"),
            Fact("base_score", baseScore),
            Fact("base_score corrected", model.baseScoreCorrected ? "yes" : "no"),
            Fact("engine", booster.engineDescription),
            Fact("tree evaluation", booster.nativeEngine?.evaluation ?? "libxgboost"),
            Fact("input", "\(input) (vector of \(model.numFeature))"),
            Fact("outputs", outputs.map(\.description).joined(separator: ", ")),
        ]
    }
}
