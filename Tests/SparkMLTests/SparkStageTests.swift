import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// Every single-stage fixture equals Spark's own transform, row by row,
/// including the rows Spark refuses or skips under each handleInvalid.
@Suite struct SparkStageTests {
    static let stageFixtures = [
        "string_indexer_error", "string_indexer_skip", "string_indexer_keep", "string_indexer_frequencyAsc",
        "string_indexer_alphabetDesc", "string_indexer_alphabetAsc", "string_indexer_multi",
        "one_hot_error_droplast", "one_hot_keep_droplast", "one_hot_error_nodroplast", "one_hot_keep_nodroplast",
        "vector_assembler_error", "vector_assembler_skip", "vector_assembler_keep",
        "standard_scaler_mean", "standard_scaler", "min_max_scaler", "max_abs_scaler",
        "imputer_mean", "imputer_median", "imputer_mode",
        "bucketizer_error", "bucketizer_skip", "bucketizer_keep", "bucketizer_multi", "quantile_discretizer",
        "binarizer", "index_to_string", "linear_regression", "logistic_regression_multinomial",
        "decision_tree_classifier", "decision_tree_regressor", "random_forest_regressor", "gbt_regressor",
    ]

    /// Every Spark fixture on disk is one a test runs, so none can silently drop out.
    @Test func everyFixtureOnDiskIsTested() throws {
        func expectedFiles(_ folder: URL) throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".expected.json") }.map { String($0.dropLast(".expected.json".count)) })
        }
        #expect(try expectedFiles(sparkFixtures.appendingPathComponent("stages")) == Set(Self.stageFixtures))
        #expect(Self.stageFixtures.count == 34)
        #expect(try expectedFiles(sparkFixtures) == Set(SparkPipelineTests.adultFixtures))
    }

    @Test(arguments: stageFixtures)
    func equalsSparkTransform(_ name: String) throws {
        let fixture = try SparkFixture.named("stages/\(name)")
        let stage = try SparkMLStage(name: name, modelURL: fixture.model, schema: nil)
        try checkAgainstSpark(fixture, stage: stage, exact: true)
    }

    /// The fixtures exercise what they claim: refusals and skips happen.
    @Test func handleInvalidModesRefuseSkipAndKeep() throws {
        #expect(try SparkFixture.named("stages/string_indexer_error").errorRows.count == 2)
        #expect(try SparkFixture.named("stages/string_indexer_skip").expected.count == 5)
        #expect(try SparkFixture.named("stages/string_indexer_keep").expected.count == 7)
        #expect(try SparkFixture.named("stages/vector_assembler_skip").expected.count == 5)
        #expect(try SparkFixture.named("stages/bucketizer_error").errorRows.count == 1)
    }
}
