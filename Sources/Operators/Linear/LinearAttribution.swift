import ConveyorCore

/// Exact attributions of linear margins `w · x + b`: feature i gets
/// `wᵢ · xᵢ` and the base is the intercept b. These are the margin's
/// Shapley values against the all-zero input — what XGBoost's `gblinear`
/// `pred_contribs` computes, and shap's `LinearExplainer` with a background
/// of zeros. (Spark saves no training means, so no other baseline is
/// available; behind a scaler with `withMean` zero is the mean.)
enum LinearAttribution {
    /// For each row and output (a row of `weights` and its intercept), one
    /// value per feature then the base: `rows × outputs × (n + 1)` values.
    /// A missing feature (NaN, or a null vector) has no linear
    /// contribution: the row is refused, naming it.
    static func contributions(_ frame: Frame, column: String, weights: [Double], intercepts: [Double],
                              stage: String) throws -> [Double] {
        let n = intercepts.isEmpty ? 0 : weights.count / intercepts.count
        let (block, nulls) = try Inputs.vectors(frame, column, width: n, stage: stage)
        let rows = block.rowCount
        let outputs = intercepts.count
        let width = outputs * (n + 1)
        var result = [Double](repeating: 0, count: rows * width)
        let values = block.storage
        for row in 0..<rows {
            if nulls?[row] == true {
                throw ConveyorError(.invalidInput, "a linear model's explanation needs a feature vector, and the row has none",
                                    stage: stage, row: row, column: column)
            }
            for feature in 0..<n where values[row * n + feature].isNaN {
                throw ConveyorError(.invalidInput, "a linear model's explanation needs every feature, and feature "
                                        + "\(feature) is missing (NaN)", stage: stage, row: row, column: column)
            }
            for output in 0..<outputs {
                let start = row * width + output * (n + 1)
                for feature in 0..<n {
                    result[start + feature] = weights[output * n + feature] * values[row * n + feature]
                }
                result[start + n] = intercepts[output]
            }
        }
        return result
    }
}

extension LogisticRegression {
    /// Attributions of the margins: the binomial model's one margin m
    /// (rawPrediction is [−m, m], p₁ = σ(m)), or each class's margin of a
    /// multinomial one (probability = their softmax). See `LinearAttribution`.
    public func contributions(in frame: Frame, stage: String) throws -> (outputs: Int, values: [Double]) {
        (intercepts.count, try LinearAttribution.contributions(frame, column: columns.features, weights: weights,
                                                               intercepts: intercepts, stage: stage))
    }

    /// The margins' attributions on the columns `lineage` traces the
    /// features to: class 1's margin of a binomial model, every class's of a
    /// multinomial one, named by `labels` where given.
    public func explanation(_ frame: Frame, lineage: Lineage, labels: [String]?, stage: String) throws -> Explanation {
        let (count, values) = try contributions(in: frame, stage: stage)
        let classes = multinomial ? Array(0..<count) : [1]
        let outputs = classes.map { index in labels.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)" }
        return Explanation.grouping(stage: stage, method: "linear", outputs: outputs, rows: frame.rowCount,
                                    contributions: values, origins: lineage.origins(of: columns.features, width: numFeatures))
    }
}

extension LinearRegression {
    /// Attributions of the prediction. See `LinearAttribution`.
    public func contributions(in frame: Frame, stage: String) throws -> [Double] {
        try LinearAttribution.contributions(frame, column: features, weights: coefficients, intercepts: [intercept],
                                            stage: stage)
    }

    /// The prediction's attributions on the columns `lineage` traces the features to.
    public func explanation(_ frame: Frame, lineage: Lineage, stage: String) throws -> Explanation {
        Explanation.grouping(stage: stage, method: "linear", outputs: [prediction.isEmpty ? "prediction" : prediction],
                             rows: frame.rowCount, contributions: try contributions(in: frame, stage: stage),
                             origins: lineage.origins(of: features, width: coefficients.count))
    }
}
