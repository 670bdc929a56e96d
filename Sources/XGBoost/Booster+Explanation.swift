import TreeEngine

extension Booster {
    /// The model's TreeSHAP explainer (over the trees the native engine
    /// predicts with), or why it has none: a linear model, a model the
    /// engine does not run, trees without covers or too deep.
    public func explainer() throws(XGBoostError) -> TreeExplainer<Float> {
        switch explanation {
        case .success(let explainer): return explainer
        case .failure(let reason): throw XGBoostError(.unsupportedModel, "the model cannot be explained: \(reason)")
        }
    }

    /// What `Booster.predict(..., pred_contribs=True)` computes: for each row
    /// and output group, one contribution per feature then the bias, in
    /// margin space (`rows × groups × (numFeature + 1)` values).
    /// A `gblinear` model's are its weights × values (`LinearBooster`).
    public func contributions(_ features: UnsafeBufferPointer<Float>, rows: Int) throws(XGBoostError) -> [Double] {
        guard rows >= 0, features.count == rows * facts.numFeature else {
            throw XGBoostError(.invalidInput,
                               "\(features.count) values are not \(rows) rows of \(facts.numFeature) features")
        }
        if let linearModel { return linearModel.contributions(features, rows: rows) }
        return try explainer().contributions(rows: features, count: rows)
    }

    /// How `contributions` are defined: `tree_shap` (path-dependent
    /// TreeSHAP), or `linear` (weight × value) for a `gblinear` model.
    public var explanationMethod: String { linearModel == nil ? "tree_shap" : "linear" }

    /// Output groups `contributions` lays its values out in.
    public func explainedGroups() throws(XGBoostError) -> Int {
        if let linearModel { return linearModel.groups }
        return try explainer().groups
    }
}

extension Booster {
    /// `contributions` of a row-major float32 matrix, with the number of
    /// output groups they are laid out in: what the XGBoost stages explain from.
    public func explainedContributions(_ features: [Float], rows: Int) throws(XGBoostError) -> (groups: Int, values: [Double]) {
        let groups = try explainedGroups()
        let values = try features.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try contributions(buffer, rows: rows)
        }
        return (groups, values)
    }
}
