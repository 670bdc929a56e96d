import ConveyorCore
import Operators

/// Reads a saved `OneVsRestModel`: `numClasses` in the metadata, one fitted
/// binary classifier per class in `model_<i>/` (LogisticRegressionModel,
/// LinearSVCModel, NaiveBayesModel, MultilayerPerceptronClassificationModel
/// or FMClassificationModel), into the OneVsRest kernel. Trees as the inner
/// classifier are refused, naming the class.
struct OneVsRestModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let kernel: OneVsRest
    let classNames: [String]

    static let maxClasses = 1 << 12

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        columns = PredictionColumns(metadata)
        guard let count = metadata.extraInt("numClasses"), count >= 1, count <= Self.maxClasses else {
            throw metadata.failure("metadata lacks numClasses (1...\(Self.maxClasses))")
        }
        var scorers: [any ClassifierScorer] = []
        var names: [String] = []
        for index in 0..<count {
            let path = dir.directory.isEmpty ? "model_\(index)" : "\(dir.directory)/model_\(index)"
            let child = try SparkStageDirectory(tree: dir.tree, directory: path)
            let model = try SparkStageFactory.load(child)
            let name = String(child.metadata.className.split(separator: ".").last ?? "")
            guard let scorer = Self.scorer(of: model) else {
                throw metadata.unsupported("classifier", "\(name) inside a OneVsRestModel is not supported; supported: "
                    + "LogisticRegressionModel, LinearSVCModel, NaiveBayesModel, MultilayerPerceptronClassificationModel, "
                    + "FMClassificationModel")
            }
            scorers.append(scorer)
            names.append(name)
        }
        let width = scorers[0].numFeatures
        guard let kernel = OneVsRest(
            classifiers: scorers, features: columns.features, numFeatures: width,
            rawPrediction: ClassifierModel.named(columns.rawPrediction), prediction: ClassifierModel.named(columns.prediction),
            // Spark 4 predicts -1 when no raw value beats −∞ (all NaN); Spark 3.5 takes the first
            // classifier and any later one strictly above it (Vector.argmax): 0 for all NaN.
            // Each save is predicted as the Spark that wrote it (spark-classes/spark35/ovr).
            noWinner: (metadata.sparkMajorVersion ?? 4) >= 4 ? -1 : nil)
        else { throw metadata.failure("every inner model must be binary and read \(width) features") }
        self.kernel = kernel
        classNames = names
    }

    /// The row scorer inside a loaded binary classifier, when it has one.
    static func scorer(of model: any SparkTransformer) -> (any ClassifierScorer)? {
        if let model = model as? LogisticRegressionModel { return model.kernel }
        if let model = model as? ClassifierModel {
            if let kernel = model.kernel as? ScoredClassifier { return kernel.scorer }
            if let kernel = model.kernel as? LinearSVC { return kernel }
        }
        return nil
    }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(kernel.numFeatures))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        [(columns.rawPrediction, ColumnType.vector(kernel.classifiers.count)), (columns.prediction, .double)]
            .filter { !$0.0.isEmpty }.map { ColumnSpec($0.0, $0.1) }
    }

    var dataFacts: [Fact] {
        [Fact("classes", "\(kernel.classifiers.count)"), Fact("features", "\(kernel.numFeatures)"),
         Fact("classifier", classNames.first ?? "")]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}
