import ConveyorCore

/// A saved `CrossValidatorModel` or `TrainValidationSplitModel` (what
/// `cv.fit(df)` returns): served as its `bestModel/` subfolder, a PipelineModel
/// or a single model. Its other folders — `estimator/` (the unfitted
/// estimator), `evaluator/`, `subModels/fold<i>/<j>` or `subModels/<j>`,
/// `epm_*` — are never read as stages. Scala's writer (`ValidatorParams.saveImpl`)
/// and PySpark's Python writer (`_ValidatorSharedReadWrite`, used when a stage
/// is Python-only, class `pyspark.ml.tuning.*`) lay them out the same way.
struct SparkValidatorModel: Sendable {
    static let classes: Set<String> = [
        "org.apache.spark.ml.tuning.CrossValidatorModel", "org.apache.spark.ml.tuning.TrainValidationSplitModel",
        "pyspark.ml.tuning.CrossValidatorModel", "pyspark.ml.tuning.TrainValidationSplitModel",
    ]

    let metadata: SparkMetadata
    let best: SparkPipelineModel
    /// `inspect`: what tuned the model, with its folds, metrics and evaluator.
    let fact: Fact

    init(_ dir: SparkStageDirectory, depth: Int) throws {
        metadata = dir.metadata
        let bestDirectory = dir.directory.isEmpty ? "bestModel" : "\(dir.directory)/bestModel"
        guard dir.tree.paths.contains(where: { $0.hasPrefix(bestDirectory + "/metadata/") }) else {
            throw metadata.failure("no \(bestDirectory)/ folder with metadata: Spark saves the tuned model there, and "
                + "only it can be served (saved without it, or copied partially?)")
        }
        best = try SparkPipelineModel(tree: dir.tree, directory: bestDirectory, depth: depth + 1)
        fact = Self.describe(dir, best: best)
    }

    private static func describe(_ dir: SparkStageDirectory, best: SparkPipelineModel) -> Fact {
        let metadata = dir.metadata
        let crossValidation = metadata.className.hasSuffix("CrossValidatorModel")
        var children: [Fact] = [Fact("best model", best.metadata.className + " '\(best.metadata.uid)'")]
        if let maps = metadata.param("estimatorParamMaps")?.array { children.append(Fact("param maps", "\(maps.count)")) }
        if crossValidation, let folds = metadata.param("numFolds")?.double {
            children.append(Fact("folds", SparkMetadata.describe(.number(folds))))
        }
        if !crossValidation, let ratio = metadata.param("trainRatio")?.double { children.append(Fact("train ratio", "\(ratio)")) }
        // Scala writes avgMetrics (CV) or validationMetrics (TVS) beside the params.
        for key in ["avgMetrics", "stdMetrics", "validationMetrics"] {
            if let values = metadata.json[key], values.array?.isEmpty == false {
                children.append(Fact(key, SparkMetadata.describe(values)))
            }
        }
        if let evaluator = try? SparkMetadata.read(dir.tree, directory: dir.directory.isEmpty ? "evaluator" : "\(dir.directory)/evaluator") {
            let short = evaluator.className.split(separator: ".").last.map(String.init) ?? evaluator.className
            children.append(Fact("evaluator", short + (evaluator.string("metricName").map { " (\($0))" } ?? "")))
        }
        let subModels = dir.directory.isEmpty ? "subModels/" : "\(dir.directory)/subModels/"
        if dir.tree.paths.contains(where: { $0.hasPrefix(subModels) }) {
            children.append(Fact("sub-models", "saved, not loaded"))
        }
        let short = metadata.className.split(separator: ".").last.map(String.init) ?? metadata.className
        return Fact("tuned by", "\(short) '\(metadata.uid)'", children: children)
    }
}
