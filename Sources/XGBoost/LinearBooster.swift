import CXGBoost

/// A `gblinear` model, predicted as XGBoost's `GBLinear::Pred` does in
/// float32: per output group, the bias plus the base margin, then each
/// present (non-NaN) feature's value × weight added in feature order.
/// libxgboost 1.7.4 loads these models but cannot predict them in place,
/// so this is their only predictor.
public struct LinearBooster: Sendable {
    public let numFeature: Int
    public let groups: Int
    /// `weights[feature * groups + group]`; the biases follow the features.
    let weights: [Float]
    let baseMargins: [Float]

    /// Reads the weights libxgboost loaded, from its own UBJSON export (as
    /// the tree engine reads trees), so every format gives the same floats.
    init(_ handle: BoosterHandle, facts: ModelFacts) throws(XGBoostError) {
        func refuse(_ why: String) -> XGBoostError {
            XGBoostError(.unsupportedModel, "booster 'gblinear': \(why)")
        }
        let document: ModelValue
        do {
            document = try Booster.exportedModel(handle)
        } catch {
            throw refuse(error.message)
        }
        let groups = facts.outputGroups
        guard document.at("learner", "gradient_booster", "name")?.string == "gblinear",
              let weights = document.at("learner", "gradient_booster", "model", "weights")?.floatItems,
              weights.count == (facts.numFeature + 1) * groups else {
            throw refuse("libxgboost's export holds no weights for \(facts.numFeature) features and \(groups) groups")
        }
        do {
            baseMargins = try Booster.baseMargins(document, facts: facts)
        } catch {
            throw refuse(error.message)
        }
        self.numFeature = facts.numFeature
        self.groups = groups
        self.weights = weights
    }

    /// What XGBoost's `GBLinear::PredictContribution` computes, in float32:
    /// for each row and group, each present feature's value × weight (a
    /// missing one, absent from XGBoost's sparse row, gives 0), then the
    /// bias plus the base margin (`rows × groups × (numFeature + 1)` values).
    func contributions(_ features: UnsafeBufferPointer<Float>, rows: Int) -> [Double] {
        precondition(features.count == rows * numFeature)
        let width = numFeature + 1
        var out = [Double](repeating: 0, count: rows * groups * width)
        for row in 0..<rows {
            for group in 0..<groups {
                let start = (row * groups + group) * width
                for feature in 0..<numFeature {
                    let x = features[row * numFeature + feature]
                    if !x.isNaN { out[start + feature] = Double(x * weights[feature * groups + group]) }
                }
                out[start + numFeature] = Double(weights[numFeature * groups + group] + baseMargins[group])
            }
        }
        return out
    }

    /// The margins of `rows` rows (`rows × groups`, row-major).
    func margins(_ features: UnsafeBufferPointer<Float>, rows: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(features.count == rows * numFeature && out.count == rows * groups)
        guard rows > 0, let input = features.baseAddress else { return }
        weights.withUnsafeBufferPointer { w in
            for row in 0..<rows {
                let x = input + row * numFeature
                for group in 0..<groups {
                    var sum = w[numFeature * groups + group] + baseMargins[group]
                    for feature in 0..<numFeature where !x[feature].isNaN {
                        sum += x[feature] * w[feature * groups + group]
                    }
                    out[row * groups + group] = sum
                }
            }
        }
    }
}
