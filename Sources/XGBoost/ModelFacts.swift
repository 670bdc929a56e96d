/// What a loaded model is, for `conveyor inspect` and for callers that
/// shape their output after it.
public struct ModelFacts: Sendable, Equatable {
    public var format: ModelFormat
    /// The XGBoost version that wrote the model (`version` in JSON/UBJSON);
    /// nil for the legacy binary format, which does not record it.
    public var producerVersion: [Int]?
    public var objective: Objective
    public var numFeature: Int
    /// 0 when the model is not multi-class, as XGBoost stores it.
    public var numClass: Int
    /// Targets of a multi-target regression (one tree per target and
    /// round); 1 otherwise.
    public var numTarget: Int
    public var trees: Int
    public var boostedRounds: Int
    /// `base_score` exactly as the model stores it.
    public var storedBaseScore: String
    /// The per-group margins Conveyor supplies itself because libxgboost
    /// 1.7.4 cannot read the stored vector base_score; nil when the library
    /// applies base_score on its own.
    public var correctedBaseMargins: [Float]?
    /// A `gblinear` model (a linear model, no trees).
    public var linear = false

    /// Prediction groups per row: the class count for multi-class models,
    /// the target count for multi-target ones, else 1.
    public var outputGroups: Int { objective.isMultiClass ? max(numClass, 1) : max(numTarget, 1) }

    public var baseScoreCorrected: Bool { correctedBaseMargins != nil }

    /// XGBoost 3.4.0 and later sort each row's quantile predictions
    /// (`QuantileRegression::PredTransform`, so quantiles never cross);
    /// earlier versions return the margins as they are.
    public var sortsQuantiles: Bool {
        guard objective == .regQuantileError, let version = producerVersion else { return false }
        return !version.lexicographicallyPrecedes([3, 4, 0])
    }

    public var producerVersionString: String? {
        producerVersion.map { $0.map(String.init).joined(separator: ".") }
    }
}

/// The model parameters read from the model's own bytes (JSON or UBJSON).
struct StoredParameters: Equatable {
    var version: [Int]?
    var objectiveName: String?
    var baseScore: String?
    var numClass: Int?
    var numTarget: Int?
    var numFeature: Int?
    var numTrees: Int?
    /// DART's tree weights (`weight_drop`: beside the trees of a `dart`
    /// booster, as XGBoost 1.x/2.x save it, or inside a gbtree model, as
    /// 3.x does); empty when the weights are unreadable.
    var treeWeights: [Float]?

    /// Reads the parameters of a parsed model document; nil when the
    /// document does not look like an XGBoost model at all.
    init?(document: ModelValue) {
        guard let learner = document["learner"], case .object = learner,
              let modelParam = learner["learner_model_param"], case .object = modelParam else { return nil }
        version = document["version"]?.items?.compactMap(\.integer)
        objectiveName = learner.at("objective", "name")?.string
        baseScore = modelParam["base_score"]?.string
        numClass = modelParam["num_class"]?.integer
        numTarget = modelParam["num_target"]?.integer
        numFeature = modelParam["num_feature"]?.integer
        let booster = learner["gradient_booster"]
        switch booster?["name"]?.string {
        case "gbtree":
            numTrees = booster?.at("model", "gbtree_model_param", "num_trees")?.integer
            if let weights = booster?.at("model", "weight_drop") { treeWeights = weights.floatItems ?? [] }
        case "dart":
            // XGBoost 1.x/2.x: the trees in `gbtree`, the weights beside it.
            numTrees = booster?.at("gbtree", "model", "gbtree_model_param", "num_trees")?.integer
            treeWeights = booster?["weight_drop"]?.floatItems ?? []
        default:
            break
        }
    }
}

/// libxgboost's own view of the loaded model (`XGBoosterSaveJsonConfig`).
struct LibraryConfig: Equatable {
    var objectiveName: String
    var boosterName: String
    var baseScore: String
    var numClass: Int
    var numTarget: Int
    var numTrees: Int?

    init?(document: ModelValue) {
        guard let learner = document["learner"],
              let objective = learner.at("objective", "name")?.string,
              let booster = learner.at("gradient_booster", "name")?.string,
              let baseScore = learner.at("learner_model_param", "base_score")?.string else { return nil }
        objectiveName = objective
        boosterName = booster
        self.baseScore = baseScore
        numClass = learner.at("learner_model_param", "num_class")?.integer ?? 0
        numTarget = learner.at("learner_model_param", "num_target")?.integer ?? 1
        numTrees = learner.at("gradient_booster", "gbtree_model_param", "num_trees")?.integer
    }
}
