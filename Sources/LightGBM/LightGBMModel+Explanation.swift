import ConveyorCore
import TreeEngine

extension LightGBMModel {
    /// The model's TreeSHAP explainer, or why it has none (linear trees,
    /// trees saved without counts).
    public func explainer() throws(ConveyorError) -> TreeExplainer<Double> {
        try explanation.get()
    }

    /// What `Booster.predict(X, pred_contrib=True)` computes: for each row
    /// and output, one contribution per feature then the expected value,
    /// in raw-score space (`rows × outputs × (numFeature + 1)` values);
    /// they add up to `predict(X, raw_score=True)`, which for
    /// `average_output` models (random forests) is the trees' sum, not yet
    /// their mean. Rows are prepared as for prediction (LightGBM's zero
    /// threshold, zero-as-missing).
    public func contributions(_ features: UnsafeBufferPointer<Double>, rows: Int) throws(ConveyorError) -> [Double] {
        let explainer = try explainer()
        let (values, overflow) = rows.multipliedReportingOverflow(by: numFeature)
        guard rows >= 0, !overflow, features.count == values else {
            throw ConveyorError(.invalidInput, "\(features.count) values are not \(rows) rows of \(numFeature) LightGBM features")
        }
        guard rows > 0 else { return [] }
        let width = explainer.width
        var result = [Double](repeating: 0, count: rows * width)
        let block = Self.blockRows(width: numFeature)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: block * numFeature) { mapped in
            result.withUnsafeMutableBufferPointer { out in
                var start = 0
                while start < rows {
                    let count = min(block, rows - start)
                    if let base = features.baseAddress { map(base + start * numFeature, rows: count, into: mapped) }
                    for row in 0..<count {
                        let values = UnsafeBufferPointer(rebasing: mapped[(row * numFeature)..<((row + 1) * numFeature)])
                        let slot = (start + row) * width
                        explainer.contributions(of: values, into: UnsafeMutableBufferPointer(rebasing: out[slot..<(slot + width)]))
                    }
                    start += count
                }
            }
        }
        return result
    }

    public func contributions(_ features: [Double], rows: Int) throws(ConveyorError) -> [Double] {
        try features.withUnsafeBufferPointer { (buffer) throws(ConveyorError) in try contributions(buffer, rows: rows) }
    }
}
