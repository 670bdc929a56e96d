import ConveyorCore
import Operators

/// The columns a Spark predictor adds, named by its params; an empty name
/// (as Spark allows) leaves the column out.
struct PredictionColumns: Sendable, Equatable {
    let features: String
    private(set) var prediction: String
    private(set) var rawPrediction: String
    private(set) var probability: String

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

    /// These columns with the outputs not in `needed` left out (named "").
    func keeping(_ needed: Set<String>) -> PredictionColumns {
        var kept = self
        if !needed.contains(prediction) { kept.prediction = "" }
        if !needed.contains(rawPrediction) { kept.rawPrediction = "" }
        if !needed.contains(probability) { kept.probability = "" }
        return kept
    }
}
