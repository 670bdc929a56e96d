import ConveyorCore
import ConveyorTestSupport
import Foundation
import Testing
@testable import SparkML

/// Issue 12: what `cv.fit(df)` and `tvs.fit(df)` return, saved by Spark, is
/// served as its best model, with the tuning shown by `inspect`.
@Suite struct SparkValidatorModelTests {
    /// Every fact, depth first, as "label: value".
    func flatFacts(_ stage: SparkMLStage) -> [String] {
        func walk(_ facts: [Fact]) -> [String] { facts.flatMap { ["\($0.label): \($0.value)"] + walk($0.children) } }
        return walk(stage.facts)
    }

    /// JVM writer, 2 folds, sub-models persisted; bestModel a 5-stage PipelineModel.
    @Test func crossValidatorModelServesItsBestModel() throws {
        let fixture = try layoutFixture("car-cv")
        let manager = FileManager.default
        for folder in ["bestModel/stages", "estimator/stages", "evaluator/metadata", "subModels/fold1/1/stages"] {
            #expect(manager.fileExists(atPath: fixture.model.appendingPathComponent(folder).path), "\(folder)")
        }
        let stage = try SparkMLStage(name: "cv", modelURL: fixture.model, schema: nil)
        #expect(stage.modelClass == "org.apache.spark.ml.tuning.CrossValidatorModel")
        #expect(stage.stageClasses.map { String($0.split(separator: ".").last!) } == [
            "StringIndexerModel", "OneHotEncoderModel", "VectorAssembler", "LogisticRegressionModel", "IndexToString",
        ])
        #expect(stage.inputs.map(\.name) == ["buying", "maint", "doors", "persons", "lug_boots", "safety"])
        try checkAgainstSpark(fixture, stage: stage, exact: true)

        let facts = flatFacts(stage)
        #expect(facts.contains { $0.hasPrefix("tuned by: CrossValidatorModel '") }, "\(facts)")
        #expect(facts.contains("folds: 2"), "\(facts)")
        #expect(facts.contains("param maps: 2"), "\(facts)")
        #expect(facts.contains("evaluator: MulticlassClassificationEvaluator (accuracy)"), "\(facts)")
        #expect(facts.contains("sub-models: saved, not loaded"), "\(facts)")
        // avgMetrics shown from the metadata equal those Spark's loaded model reported (its JSON
        // reader may land one ulp away from the shortest decimal the metadata holds).
        let metrics = try #require(stage.wrapperFacts.first?.children.first { $0.label == "avgMetrics" })
        let shown = metrics.value.dropFirst().dropLast().split(separator: ",").map { ComparedValue(parsing: $0) }
        let spark = (fixture.json["avgMetrics"] as? [NSNumber] ?? []).map { ComparedValue.number($0.doubleValue) }
        let result = NumericComparison(shown, spark, tolerance: .relative(1e-15), label: "avgMetrics")
        #expect(spark.count == 2 && result.matches, "\(result)")
    }

    /// PySpark's Python writer (a SparkXGBClassifier in the estimator):
    /// class pyspark.ml.tuning.TrainValidationSplitModel, bestModel a
    /// pyspark.ml.pipeline.PipelineModel of 12 zero-padded stage folders.
    @Test func pythonWrittenTrainValidationSplitModelServesItsBestModel() throws {
        let fixture = try layoutFixture("adult-tvs-xgb")
        let folders = try stageFolders(fixture.model, under: "bestModel/")
        #expect(folders.count == 12 && folders.first?.hasPrefix("00_") == true && folders.last?.hasPrefix("11_") == true)
        let stage = try SparkMLStage(name: "tvs", modelURL: fixture.model, schema: nil)
        #expect(stage.modelClass == "pyspark.ml.tuning.TrainValidationSplitModel")
        #expect(stage.stageClasses.count == 12)
        #expect(stage.stageClasses.last?.hasSuffix("SparkXGBClassifierModel") == true)
        try checkAgainstSpark(fixture, stage: stage, exact: true)
        let facts = flatFacts(stage)
        #expect(facts.contains { $0.hasPrefix("best model: pyspark.ml.pipeline.PipelineModel '") }, "\(facts)")
        #expect(facts.contains("train ratio: 0.75"), "\(facts)")
        #expect(facts.contains { $0.hasPrefix("validationMetrics: [") }, "\(facts)")
    }

    /// A tuning model copied without its bestModel/ folder is refused naming it.
    @Test func aTuningModelWithoutBestModelIsRefused() throws {
        let copy = try scratchCopy(of: layoutFixtures.appendingPathComponent("car-cv"))
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("bestModel"))
        do {
            _ = try SparkMLStage(name: "cv", modelURL: copy, schema: nil)
            Issue.record("loaded without bestModel")
        } catch let error as ConveyorError {
            #expect(error.code == .modelCorrupt)
            #expect(error.message.contains("CrossValidatorModel") && error.message.contains("no bestModel/ folder"), "\(error)")
        }
    }

    /// The unfitted Pipeline Spark saved as the CV's `estimator/` (what people
    /// save by mistake instead of the fitted model) is refused saying what to save.
    @Test func anUnfittedPipelineIsRefusedSayingWhatToSave() throws {
        let estimator = layoutFixtures.appendingPathComponent("car-cv/estimator")
        do {
            _ = try SparkMLStage(name: "p", modelURL: estimator, schema: nil)
            Issue.record("loaded an unfitted Pipeline")
        } catch let error as ConveyorError {
            #expect(error.code == .unsupportedModel)
            #expect(error.message.contains("is an unfitted Pipeline") && error.message.contains("pipeline.fit(df)"), "\(error)")
        }
    }

    /// A CrossValidatorModel whose bestModel is a single model, not a pipeline.
    @Test func crossValidatorModelWithASingleBestModel() throws {
        let fixture = try layoutFixture("adult-cv-gbt")
        let stage = try SparkMLStage(name: "cvgbt", modelURL: fixture.model, schema: nil)
        #expect(stage.stageClasses == ["org.apache.spark.ml.regression.GBTRegressionModel"])
        #expect(stage.inputs.map(\.name) == ["features"])
        try checkVectorFixture(fixture, stage: stage)
        let facts = flatFacts(stage)
        #expect(facts.contains { $0.hasPrefix("best model: org.apache.spark.ml.regression.GBTRegressionModel '") }, "\(facts)")
        #expect(facts.contains("folds: 3") && facts.contains("evaluator: RegressionEvaluator (rmse)"), "\(facts)")
        #expect(!facts.contains("sub-models: saved, not loaded"), "\(facts)")
    }
}
