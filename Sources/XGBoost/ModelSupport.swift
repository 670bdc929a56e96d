/// What Conveyor refuses to predict with libxgboost 1.7.4, and why. Each
/// refusal names the booster, objective or feature, in Conveyor's words,
/// and what libxgboost 1.7.4 does with it instead (each case is a model in
/// Tests/Fixtures/xgboost-objectives, made by XGBoost 2.1.4 and 3.4.1).
/// DART: libxgboost 1.7.4 predicts 3.x files as plain gbtree (off by up to
/// 0.39 in probability on the fixture) and 2.x files off by up to 1.2e-7;
/// the native engine applies the weights as XGBoost does and predicts both.
enum ModelSupport {
    /// Checks the learner of a parsed JSON or UBJSON model: its booster,
    /// DART tree weights, and its objective.
    static func check(_ learner: ModelValue) throws(XGBoostError) {
        let booster = learner["gradient_booster"]
        let name = booster?["name"]?.string ?? "(none)"
        try checkBooster(name, weightsReadable: name == "gblinear" || booster?["weight_drop"] != nil)
        // DART's tree weights (beside a `dart` booster's trees, or inside a
        // 3.x gbtree model): only the native engine predicts it
        // (`Booster.chooseEngine`).
        // An objective libxgboost 1.7.4 cannot load is read natively (`libraryGap`).
        guard let objective = learner.at("objective", "name")?.string else { return }
        try checkObjective(objective)
    }

    /// Refuses every booster but gbtree, and DART or gblinear whose weights
    /// Conveyor cannot read itself (the legacy binary format), naming it.
    static func checkBooster(_ name: String, weightsReadable: Bool = false) throws(XGBoostError) {
        switch name {
        case "gbtree":
            return
        case "dart" where weightsReadable:
            return
        case "dart":
            throw XGBoostError(.unsupportedModel,
                               "booster 'dart' is not supported in this format: only the native engine predicts DART "
                                   + "exactly, from tree weights it reads in JSON or UBJSON models (libxgboost 1.7.4 "
                                   + "differs in the last bits); save the model as JSON or UBJSON")
        case "gblinear" where weightsReadable:
            return
        case "gblinear":
            throw XGBoostError(.unsupportedModel,
                               "booster 'gblinear' (a linear model) is not supported in this format: only the native "
                                   + "engine predicts linear models (libxgboost 1.7.4 cannot predict them in place), "
                                   + "from weights it reads in JSON or UBJSON models; save the model as JSON or UBJSON")
        default:
            throw XGBoostError(.unsupportedModel, "booster '\(name)' is not supported; only gbtree models are")
        }
    }

    /// Refuses objectives outside `Objective`, saying why where it is known
    /// (also for the legacy binary format, `LegacyBinaryModel`).
    static func checkObjective(_ name: String) throws(XGBoostError) {
        guard Objective(name: name) == nil else { return }
        let why: String
        switch name {
        case "reg:quantileerror", "reg:expectileerror":
            why = " (XGBoost 2.0+; with several quantiles it predicts one value per quantile): "
                + "libxgboost 1.7.4 does not know this objective"
        case _ where name.hasPrefix("rank:"):
            why = " (learning to rank): libxgboost 1.7.4 cannot read the ranking parameters "
                + "(lambdarank_param) that XGBoost 2.0+ saves"
        default:
            why = ""
        }
        throw XGBoostError(.unsupportedModel,
                           "objective '\(name)' is not supported\(why); supported: \(Objective.supportedList)")
    }

    /// The legacy binary format's objective: what `checkObjective` refuses,
    /// and the objectives only the native engine predicts, which it reads
    /// from JSON and UBJSON models only.
    static func checkLegacyObjective(_ name: String) throws(XGBoostError) {
        try checkObjective(name)
        guard let objective = Objective(name: name), !objective.libraryLoads else { return }
        throw XGBoostError(.unsupportedModel,
                           "objective '\(name)' is not supported in the legacy binary format: libxgboost 1.7.4 "
                               + "cannot load it, and the native engine reads it from JSON or UBJSON models only; "
                               + "save the model as JSON or UBJSON")
    }

    /// Trees with a leaf vector (multi_strategy=multi_output_tree, 2.0+) in
    /// the legacy binary format (XGBoost writes them to JSON and UBJSON only).
    static func vectorLeaves(tree: Int, size: Int) -> XGBoostError {
        XGBoostError(.unsupportedModel,
                     "tree \(tree): vector-leaf trees (size_leaf_vector \(size), multi_strategy=multi_output_tree) "
                         + "are read from JSON or UBJSON models only, not from the legacy binary format")
    }
}

extension Objective {
    /// The parameter object libxgboost 1.7.4's objective reads when it loads
    /// a model (its `LoadConfig`); loading fails without it.
    var libraryParameters: String? {
        switch self {
        case .regSquaredError, .regSquaredLogError, .regLogistic, .binaryLogistic, .binaryLogitRaw:
            return "reg_loss_param"
        case .countPoisson: return "poisson_regression_param"
        case .regTweedie: return "tweedie_regression_param"
        case .survivalAFT: return "aft_loss_param"
        case .multiSoftprob, .multiSoftmax: return "softmax_multiclass_param"
        case .rankPairwise, .rankNDCG: return "lambdarank_param"
        case .regQuantileError: return "quantile_loss_param"
        case .binaryHinge, .regPseudoHuberError, .regAbsoluteError, .regGamma, .survivalCox: return nil
        }
    }
}
