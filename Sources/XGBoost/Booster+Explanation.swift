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
    public func contributions(_ features: UnsafeBufferPointer<Float>, rows: Int) throws(XGBoostError) -> [Double] {
        let explainer = try explainer()
        guard rows >= 0, features.count == rows * facts.numFeature else {
            throw XGBoostError(.invalidInput,
                               "\(features.count) values are not \(rows) rows of \(facts.numFeature) features")
        }
        return explainer.contributions(rows: features, count: rows)
    }
}

extension Booster {
    /// `contributions` of a row-major float32 matrix, with the number of
    /// output groups they are laid out in: what the XGBoost stages explain from.
    public func explainedContributions(_ features: [Float], rows: Int) throws(XGBoostError) -> (groups: Int, values: [Double]) {
        let groups = try explainer().groups
        let values = try features.withUnsafeBufferPointer { buffer throws(XGBoostError) in
            try contributions(buffer, rows: rows)
        }
        return (groups, values)
    }
}
