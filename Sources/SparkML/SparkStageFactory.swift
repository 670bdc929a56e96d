import ConveyorCore

/// Maps a saved stage's class name to the code that loads it. Any other
/// class is refused at load, naming it.
enum SparkStageFactory {
    typealias Loader = @Sendable (SparkStageDirectory) throws -> any SparkTransformer

    static let loaders: [String: Loader] = [
        "org.apache.spark.ml.feature.StringIndexerModel": { try StringIndexerModel($0) },
        "org.apache.spark.ml.feature.OneHotEncoderModel": { try OneHotEncoderModel($0) },
        "org.apache.spark.ml.feature.VectorAssembler": { try VectorAssembler($0) },
        "org.apache.spark.ml.feature.IndexToString": { try IndexToString($0) },
        "org.apache.spark.ml.feature.ImputerModel": { try ImputerModel($0) },
        "org.apache.spark.ml.feature.StandardScalerModel": { try VectorScalerModel($0) },
        "org.apache.spark.ml.feature.MinMaxScalerModel": { try VectorScalerModel($0) },
        "org.apache.spark.ml.feature.MaxAbsScalerModel": { try VectorScalerModel($0) },
        "org.apache.spark.ml.feature.Bucketizer": { try Bucketizer($0) },
        "org.apache.spark.ml.feature.Binarizer": { try Binarizer($0) },
        "org.apache.spark.ml.feature.Tokenizer": { try Tokenizer($0) },
        "org.apache.spark.ml.feature.RegexTokenizer": { try RegexTokenizer($0) },
        "org.apache.spark.ml.feature.StopWordsRemover": { try StopWordsRemover($0) },
        "org.apache.spark.ml.feature.NGram": { try NGram($0) },
        "org.apache.spark.ml.feature.HashingTF": { try HashingTF($0) },
        "org.apache.spark.ml.feature.CountVectorizerModel": { try CountVectorizerModel($0) },
        "org.apache.spark.ml.feature.IDFModel": { try IDFModel($0) },
        "org.apache.spark.ml.feature.Word2VecModel": { try Word2VecModel($0) },
        // spark-classes: vector features (VectorFeature+Readers, VectorFeature+Shapes).
        "org.apache.spark.ml.feature.ChiSqSelectorModel": { try VectorFeature.selector($0) },
        "org.apache.spark.ml.feature.DCT": { try VectorFeature.dct($0) },
        "org.apache.spark.ml.feature.ElementwiseProduct": { try VectorFeature.elementwiseProduct($0) },
        "org.apache.spark.ml.feature.FeatureHasher": { try FeatureHasher($0) },
        "org.apache.spark.ml.feature.Normalizer": { try VectorFeature.normalizer($0) },
        "org.apache.spark.ml.feature.PCAModel": { try VectorFeature.pca($0) },
        "org.apache.spark.ml.feature.PolynomialExpansion": { try VectorFeature.polynomialExpansion($0) },
        "org.apache.spark.ml.feature.RobustScalerModel": { try VectorFeature.robustScaler($0) },
        "org.apache.spark.ml.feature.UnivariateFeatureSelectorModel": { try VectorFeature.selector($0) },
        "org.apache.spark.ml.feature.VarianceThresholdSelectorModel": { try VectorFeature.selector($0) },
        "org.apache.spark.ml.feature.VectorIndexerModel": { try VectorFeature.vectorIndexer($0) },
        "org.apache.spark.ml.feature.VectorSizeHint": { try VectorSizeHint($0) },
        "org.apache.spark.ml.feature.VectorSlicer": { try VectorFeature.slicer($0) },
        "org.apache.spark.ml.classification.LogisticRegressionModel": { try LogisticRegressionModel($0) },
        "org.apache.spark.ml.regression.LinearRegressionModel": { try LinearRegressionModel($0) },
        "org.apache.spark.ml.classification.DecisionTreeClassificationModel": { try TreeModel($0, kind: .decisionTreeClassifier) },
        "org.apache.spark.ml.regression.DecisionTreeRegressionModel": { try TreeModel($0, kind: .decisionTreeRegressor) },
        "org.apache.spark.ml.classification.RandomForestClassificationModel": { try TreeModel($0, kind: .randomForestClassifier) },
        "org.apache.spark.ml.regression.RandomForestRegressionModel": { try TreeModel($0, kind: .randomForestRegressor) },
        "org.apache.spark.ml.classification.GBTClassificationModel": { try TreeModel($0, kind: .gbtClassifier) },
        "org.apache.spark.ml.regression.GBTRegressionModel": { try TreeModel($0, kind: .gbtRegressor) },
        // spark-classes: models (ClassifierModels, OneVsRestModel, ClusteringModels, RegressionModels).
        "org.apache.spark.ml.classification.FMClassificationModel": { try ClassifierModel.fmClassifier($0) },
        "org.apache.spark.ml.classification.LinearSVCModel": { try ClassifierModel.linearSVC($0) },
        "org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel": {
            try ClassifierModel.multilayerPerceptron($0)
        },
        "org.apache.spark.ml.classification.NaiveBayesModel": { try ClassifierModel.naiveBayes($0) },
        "org.apache.spark.ml.classification.OneVsRestModel": { try OneVsRestModel($0) },
        "org.apache.spark.ml.clustering.BisectingKMeansModel": { try ClusteringModel.bisectingKMeans($0) },
        "org.apache.spark.ml.clustering.GaussianMixtureModel": { try ClusteringModel.gaussianMixture($0) },
        "org.apache.spark.ml.clustering.KMeansModel": { try ClusteringModel.kMeans($0) },
        "org.apache.spark.ml.regression.AFTSurvivalRegressionModel": { try RegressionModel.aftSurvival($0) },
        "org.apache.spark.ml.regression.FMRegressionModel": { try RegressionModel.fmRegressor($0) },
        "org.apache.spark.ml.regression.GeneralizedLinearRegressionModel": { try RegressionModel.generalizedLinear($0) },
        "org.apache.spark.ml.regression.IsotonicRegressionModel": { try RegressionModel.isotonic($0) },
        "xgboost.spark.estimator.SparkXGBClassifierModel": { try SparkXGBModel($0, classifier: true) },
        "xgboost.spark.core.SparkXGBClassifierModel": { try SparkXGBModel($0, classifier: true) },
        "xgboost.spark.estimator.SparkXGBRegressorModel": { try SparkXGBModel($0, classifier: false) },
        "xgboost.spark.core.SparkXGBRegressorModel": { try SparkXGBModel($0, classifier: false) },
        "org.apache.spark.ml.feature.SQLTransformer": { try SQLTransformer($0) },
        // spark-classes2: RFormula (and the private stages of its pipeline), Interaction, TargetEncoder, ALS, LSH.
        "org.apache.spark.ml.feature.RFormulaModel": { try RFormulaModel($0) },
        "org.apache.spark.ml.feature.ColumnPruner": { try ColumnPruner($0) },
        "org.apache.spark.ml.feature.VectorAttributeRewriter": { try VectorAttributeRewriter($0) },
        "org.apache.spark.ml.feature.Interaction": { try Interaction($0) },
        "org.apache.spark.ml.feature.TargetEncoderModel": { try TargetEncoderModel($0) },
        "org.apache.spark.ml.recommendation.ALSModel": { try ALSModel($0) },
        "org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel": { try LSHModel($0, minHash: false) },
        "org.apache.spark.ml.feature.MinHashLSHModel": { try LSHModel($0, minHash: true) },
    ]

    static let pipelineClasses: Set<String> = ["org.apache.spark.ml.PipelineModel", "pyspark.ml.pipeline.PipelineModel"]

    static func load(_ dir: SparkStageDirectory) throws -> any SparkTransformer {
        let name = dir.metadata.className
        guard let loader = loaders[name] else {
            throw ConveyorError(
                .unsupportedModel,
                "Spark stage class '\(name)' (uid '\(dir.metadata.uid)') is not supported; supported classes: "
                    + loaders.keys.map { String($0.split(separator: ".").last ?? Substring($0)) }.sorted().joined(separator: ", "))
        }
        return try loader(dir)
    }
}
