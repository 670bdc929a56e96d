import ConveyorCore
import Operators
import Parquet

/// A Spark classifier read into a column kernel (`ScoredClassifier` over a
/// scorer, or `LinearSVC`): NaiveBayesModel, MultilayerPerceptronClassificationModel,
/// LinearSVCModel, FMClassificationModel.
struct ClassifierModel: SparkTransformer {
    let metadata: SparkMetadata
    let columns: PredictionColumns
    let numClasses: Int
    let numFeatures: Int
    /// LinearSVC has no probability column.
    let probabilistic: Bool
    let kernel: any Kernel
    let facts: [Fact]

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(numFeatures))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        columns.classifierSpecs(classes: numClasses).filter { probabilistic || $0.name != columns.probability }
    }

    var dataFacts: [Fact] { [Fact("classes", "\(numClasses)"), Fact("features", "\(numFeatures)")] + facts }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
}

extension ClassifierModel {
    /// A probabilistic classifier over `scorer`, with the stage's columns and `thresholds`.
    init(_ metadata: SparkMetadata, scorer: any ClassifierScorer, facts: [Fact]) throws {
        self.metadata = metadata
        columns = PredictionColumns(metadata)
        let thresholds = metadata.isSet("thresholds") ? metadata.doubles("thresholds") : nil
        guard let kernel = ScoredClassifier(
            scorer: scorer,
            columns: ClassifierColumns(features: columns.features, rawPrediction: Self.named(columns.rawPrediction),
                                       probability: Self.named(columns.probability), prediction: Self.named(columns.prediction)),
            thresholds: thresholds) else {
            throw metadata.failure("\(thresholds?.count ?? 0) thresholds for \(scorer.numClasses) classes")
        }
        self.kernel = kernel
        numClasses = scorer.numClasses
        numFeatures = scorer.numFeatures
        probabilistic = true
        self.facts = facts
    }

    static func named(_ column: String) -> String? { column.isEmpty ? nil : column }

    /// `NaiveBayesModel`: `pi`, `theta` and (gaussian) `sigma`; `modelType`.
    static func naiveBayes(_ dir: SparkStageDirectory) throws -> ClassifierModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let type = metadata.string("modelType") ?? "multinomial"
        guard let modelType = Operators.NaiveBayes.ModelType(rawValue: type) else {
            throw metadata.unsupported("modelType", "'\(type)' is not one of multinomial, complement, bernoulli, gaussian")
        }
        let pi = try SparkVector(row["pi"], what: dir.what("pi")).dense
        let theta = try SparkMatrix(row["theta"], what: dir.what("theta"))
        let sigma = modelType == .gaussian ? try SparkMatrix(row["sigma"], what: dir.what("sigma")) : nil
        guard theta.rows == pi.count, sigma.map({ $0.rows == theta.rows && $0.columns == theta.columns }) ?? true,
              let scorer = Operators.NaiveBayes(modelType: modelType, pi: pi, theta: theta.values, sigma: sigma?.values) else {
            throw metadata.failure("pi (\(pi.count)), theta (\(theta.rows)x\(theta.columns)) and sigma do not fit")
        }
        return try ClassifierModel(metadata, scorer: scorer, facts: [Fact("model type", type)])
    }

    /// `MultilayerPerceptronClassificationModel`: `weights` (data), `layers`
    /// (a param since Spark 3, in the data before).
    static func multilayerPerceptron(_ dir: SparkStageDirectory) throws -> ClassifierModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let weights = try SparkVector(row["weights"], what: dir.what("weights")).dense
        let rawLayers: [Double] = try metadata.doubles("layers")
            ?? (row["layers"]?.list ?? []).map { try metadata.require($0.double, "layers") }
        let layers = try rawLayers.map { value in
            guard let size = Int(exactly: value), size > 0, size <= SparkMatrix.maxValues else {
                throw metadata.failure("layer size \(value) is not a positive integer")
            }
            return size
        }
        guard let scorer = Operators.MultilayerPerceptron(layers: layers, weights: weights) else {
            throw metadata.failure("layers \(layers) do not fit \(weights.count) weights")
        }
        return try ClassifierModel(metadata, scorer: scorer,
                                   facts: [Fact("layers", layers.map(String.init).joined(separator: " → "))])
    }

    /// `LinearSVCModel`: `coefficients`, `intercept`; `threshold` on the margin.
    static func linearSVC(_ dir: SparkStageDirectory) throws -> ClassifierModel {
        let metadata = dir.metadata
        let row = try dir.singleRow()
        let coefficients = try SparkVector(row["coefficients"], what: dir.what("coefficients")).dense
        let columns = PredictionColumns(metadata)
        let kernel = LinearSVC(
            features: columns.features, rawPrediction: named(columns.rawPrediction), prediction: named(columns.prediction),
            coefficients: coefficients, intercept: try metadata.require(row["intercept"]?.double, "intercept"),
            threshold: metadata.double("threshold") ?? 0)
        return ClassifierModel(metadata: metadata, columns: columns, numClasses: 2, numFeatures: coefficients.count,
                               probabilistic: false, kernel: kernel, facts: [Fact("threshold", "\(kernel.threshold)")])
    }
}
