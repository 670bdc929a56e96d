import CXGBoost

extension Booster {
    /// Combines the model's own parameters with libxgboost's view of them,
    /// and decides whether base_score needs correcting.
    static func readFacts(_ handle: BoosterHandle, format: ModelFormat,
                          stored: StoredParameters?) throws(XGBoostError) -> ModelFacts {
        let config = try libraryConfig(handle)
        // The legacy binary format reaches here unchecked by ModelSupport.check.
        try ModelSupport.checkBooster(
            config.boosterName, weightsReadable: stored.map { config.boosterName == "gblinear" || $0.treeWeights != nil } ?? false)
        let objectiveName = stored?.objectiveName ?? config.objectiveName
        try ModelSupport.checkObjective(objectiveName)
        guard let objective = Objective(name: objectiveName) else {
            throw XGBoostError(.unsupportedModel, "objective '\(objectiveName)' is not supported")
        }
        var numFeature: bst_ulong = 0
        try XGBoostError.check(XGBoosterGetNumFeature(handle, &numFeature), "XGBoosterGetNumFeature", code: .corruptModel)
        var rounds: Int32 = 0
        try XGBoostError.check(XGBoosterBoostedRounds(handle, &rounds), "XGBoosterBoostedRounds", code: .corruptModel)
        guard numFeature > 0 else { throw XGBoostError(.corruptModel, "the model has no features (num_feature is 0)") }

        let storedBaseScore = stored?.baseScore ?? config.baseScore
        var facts = ModelFacts(
            format: format, producerVersion: stored?.version, objective: objective,
            numFeature: Int(numFeature), numClass: stored?.numClass ?? config.numClass,
            numTarget: max(stored?.numTarget ?? config.numTarget, 1),
            trees: stored?.numTrees ?? config.numTrees ?? 0, boostedRounds: Int(rounds),
            storedBaseScore: storedBaseScore, correctedBaseMargins: nil)
        guard facts.numClass == config.numClass else {
            throw XGBoostError(.corruptModel, "the model says num_class \(facts.numClass) but libxgboost read \(config.numClass)")
        }
        guard facts.numTarget == max(config.numTarget, 1) else {
            throw XGBoostError(.corruptModel, "the model says num_target \(facts.numTarget) but libxgboost read \(config.numTarget)")
        }
        if objective.isMultiClass && facts.numClass < 2 {
            throw XGBoostError(.corruptModel, "\(objective) model with num_class \(facts.numClass)")
        }
        facts.correctedBaseMargins = try correctedBaseMargins(storedBaseScore, facts: facts)
        facts.linear = config.boosterName == "gblinear"
        return facts
    }

    /// XGBoost 3.1+ writes base_score as a vector string, which libxgboost
    /// 1.7.4 loads without error but ignores (it keeps its default 0.5), so
    /// every prediction is off. The fix supplies the true margin-space
    /// intercepts as the proxy's base_margin, which replaces base_score in
    /// libxgboost and gives bit-identical results to the producer.
    static func correctedBaseMargins(_ stored: String, facts: ModelFacts) throws(XGBoostError) -> [Float]? {
        guard let baseScore = BaseScore(stored: stored) else {
            throw XGBoostError(.unsupportedModel, "base_score '\(stored)' is neither a number nor a vector of numbers")
        }
        guard case .vector(let scores) = baseScore else { return nil }
        let groups = facts.outputGroups
        guard scores.count == groups else {
            throw XGBoostError(.unsupportedModel,
                               "base_score '\(stored)' has \(scores.count) entries but the \(facts.objective) model "
                                   + "predicts \(groups) value(s) per row; cannot apply it exactly")
        }
        var margins: [Float] = []
        for score in scores {
            guard let margin = facts.objective.margin(fromBaseScore: score) else {
                throw XGBoostError(.unsupportedModel,
                                   "base_score entry \(score) is out of range for \(facts.objective)")
            }
            margins.append(margin)
        }
        return margins
    }

    static func libraryConfig(_ handle: BoosterHandle) throws(XGBoostError) -> LibraryConfig {
        var length: bst_ulong = 0
        var text: UnsafePointer<CChar>?
        try XGBoostError.check(XGBoosterSaveJsonConfig(handle, &length, &text), "XGBoosterSaveJsonConfig", code: .corruptModel)
        guard let text else {
            throw XGBoostError(.corruptModel, "libxgboost returned no configuration", function: "XGBoosterSaveJsonConfig")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: text, count: Int(length)))
        guard let document = try? ModelValue.parseJSON(bytes), let config = LibraryConfig(document: document) else {
            throw XGBoostError(.corruptModel, "libxgboost's configuration of the model is unreadable",
                               function: "XGBoosterSaveJsonConfig")
        }
        return config
    }
}

extension Booster {
    /// The facts of a model libxgboost cannot load, from Conveyor's own
    /// parse alone (`ModelCheck` has checked every size read here).
    static func nativeFacts(_ parsed: ParsedModel, format: ModelFormat) throws(XGBoostError) -> ModelFacts {
        let stored = parsed.stored
        guard let objectiveName = stored.objectiveName, let objective = Objective(name: objectiveName) else {
            throw XGBoostError(.unsupportedModel, "the model names no supported objective")
        }
        guard let numFeature = stored.numFeature, numFeature > 0 else {
            throw XGBoostError(.corruptModel, "the model has no features (num_feature is 0)")
        }
        guard let baseScore = stored.baseScore else { throw XGBoostError(.corruptModel, "the model has no base_score") }
        let learner = parsed.document["learner"]
        let booster = learner?["gradient_booster"]
        let model = booster?["name"]?.string == "dart" ? booster?.at("gbtree", "model") : booster?["model"]
        let trees = stored.numTrees ?? 0
        // XGBoost 2.0+ (every model libxgboost 1.7.4 cannot load) records
        // the first tree of each round; `ModelCheck` checked it rises to num_trees.
        guard let starts = model?["iteration_indptr"]?.int32Items, !starts.isEmpty else {
            throw XGBoostError(.unsupportedModel, "the model has no iteration_indptr (XGBoost 2.0+ writes it)")
        }
        var facts = ModelFacts(
            format: format, producerVersion: stored.version, objective: objective, numFeature: numFeature,
            numClass: stored.numClass ?? 0, numTarget: max(stored.numTarget ?? 1, 1), trees: trees,
            boostedRounds: starts.count - 1, storedBaseScore: baseScore, correctedBaseMargins: nil)
        if objective.isMultiClass && facts.numClass < 2 {
            throw XGBoostError(.corruptModel, "\(objective) model with num_class \(facts.numClass)")
        }
        facts.correctedBaseMargins = try correctedBaseMargins(baseScore, facts: facts)
        facts.linear = booster?["name"]?.string == "gblinear"
        return facts
    }
}
