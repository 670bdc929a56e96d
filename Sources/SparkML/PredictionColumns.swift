import ConveyorCore
import Operators

/// The columns a Spark predictor adds, named by its params; an empty name
/// (as Spark allows) leaves the column out.
struct PredictionColumns: Sendable {
    let features: String
    let prediction: String
    let rawPrediction: String
    let probability: String

    init(_ metadata: SparkMetadata, featuresParam: String = "featuresCol") {
        features = metadata.string(featuresParam) ?? metadata.string("features_col") ?? "features"
        prediction = metadata.string("predictionCol") ?? "prediction"
        rawPrediction = metadata.string("rawPredictionCol") ?? "rawPrediction"
        probability = metadata.string("probabilityCol") ?? "probability"
    }

    func classifierSpecs(classes: Int) -> [ColumnSpec] {
        [(rawPrediction, ColumnType.vector(classes)), (prediction, .double), (probability, .vector(classes))]
            .filter { !$0.0.isEmpty }.map { ColumnSpec($0.0, $0.1) }
    }

    func regressorSpecs() -> [ColumnSpec] { prediction.isEmpty ? [] : [ColumnSpec(prediction, .double)] }

    /// Adds classifier outputs; rows whose features are null get nulls.
    func putClassifier(_ frame: inout Frame, classes: Int, raw: [[Double]?], probability probs: [[Double]?],
                       prediction: [Double?]) throws {
        if !rawPrediction.isEmpty { try frame.put(Columns.vectors(rawPrediction, width: classes, raw)) }
        if !self.prediction.isEmpty { try frame.put(Columns.doubles(self.prediction, prediction)) }
        if !probability.isEmpty { try frame.put(Columns.vectors(probability, width: classes, probs)) }
    }

    /// The feature vectors, checked against the model's width.
    func featureRows(_ frame: Frame, width: Int, stage: String) throws -> [ArraySlice<Double>?] {
        let column = try frame.require(features, stage: stage)
        let (actual, rows) = try column.optionalVectors(stage: stage)
        guard actual == width || rows.isEmpty else {
            throw ConveyorError(.invalidInput, "expected feature vectors of \(width) values, got \(actual)",
                                stage: stage, column: features)
        }
        return rows
    }
}

/// Spark's probability-to-prediction rule: argmax, or argmax of p/threshold
/// when `thresholds` is set.
func sparkPrediction(_ probability: [Double], thresholds: [Double]?) -> Double {
    thresholds.map { Classification.thresholded(probability, $0) } ?? Double(Classification.argmax(probability))
}
