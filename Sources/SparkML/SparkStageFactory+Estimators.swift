import ConveyorCore

extension SparkStageFactory {
    /// Unfitted estimators people save by mistake (`pipeline.save` instead of
    /// `pipeline.fit(df).save`, or the CrossValidator instead of its model):
    /// nothing in them can transform rows, so they are refused saying what to save.
    static let estimators: [String: String] = [
        "org.apache.spark.ml.Pipeline": "PipelineModel that pipeline.fit(df) returns",
        "pyspark.ml.pipeline.Pipeline": "PipelineModel that pipeline.fit(df) returns",
        "org.apache.spark.ml.tuning.CrossValidator": "CrossValidatorModel that cv.fit(df) returns",
        "pyspark.ml.tuning.CrossValidator": "CrossValidatorModel that cv.fit(df) returns",
        "org.apache.spark.ml.tuning.TrainValidationSplit": "TrainValidationSplitModel that tvs.fit(df) returns",
        "pyspark.ml.tuning.TrainValidationSplit": "TrainValidationSplitModel that tvs.fit(df) returns",
    ]

    static func refuseEstimator(_ metadata: SparkMetadata) throws {
        guard let instead = estimators[metadata.className] else { return }
        let short = metadata.className.split(separator: ".").last.map(String.init) ?? metadata.className
        throw ConveyorError(
            .unsupportedModel,
            "\(metadata.source): '\(metadata.uid)' is an unfitted \(short), an estimator that holds no fitted "
                + "values and cannot transform rows; save the \(instead)")
    }
}
