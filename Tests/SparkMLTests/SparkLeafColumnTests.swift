import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// Tree models saved with `leafCol` (training/spark_leaf.py): the leaf
/// indices — a double for a decision tree, one per tree for forests and
/// GBTs, counted among each tree's leaves from left to right — and the
/// predictions equal Spark 4.3's own transform, NaN and a categorical split
/// (the pipeline's VectorIndexer marks feature 2) included.
@Suite struct SparkLeafColumnTests {
    static let fixtures = ["leaf_dt_classifier", "leaf_dt_regressor", "leaf_rf_classifier", "leaf_rf_regressor",
                           "leaf_gbt_classifier", "leaf_gbt_regressor", "leaf_categorical_pipeline"]

    @Test(arguments: fixtures)
    func equalsSparkTransform(_ name: String) throws {
        try checkClassAgainstSpark(try SparkClassesFixture(name))
    }

    /// The fixtures hold what the comparison must cover: the leaf column in
    /// every expected row, several distinct leaves, vectors for ensembles.
    @Test(arguments: fixtures)
    func fixturesHoldLeafIndices(_ name: String) throws {
        let fixture = try SparkClassesFixture(name).base
        let column = name == "leaf_dt_regressor" ? "leafIndex" : "leaf"
        let leaves = fixture.expected.values.compactMap { $0[column] }
        #expect(leaves.count == fixture.expected.count && leaves.count >= 7)
        let ensemble = name.contains("_rf_") || name.contains("_gbt_")
        #expect(leaves.allSatisfy { ensemble ? $0 is [Any] : $0 is NSNumber }, "\(name)")
        #expect(Set(leaves.map { "\($0)" }).count >= 2, "\(name): one leaf only")
        // The stage says what it writes.
        let stage = try SparkMLStage(name: name, modelURL: sparkClassesFixtures.appendingPathComponent(name), schema: nil)
        let leafType = try #require(stage.outputs.first { $0.name == column }?.type)
        #expect(ensemble ? leafType.vectorWidth != nil : leafType == .double, "\(name): \(leafType)")
    }
}
