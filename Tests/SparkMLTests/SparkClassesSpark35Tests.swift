import Foundation
import Testing
@testable import SparkML

/// The same classes saved by PySpark 3.5 (training/spark_classes.py run in
/// the spark35 venv, `SPARK3` there): a class of each kind whose model data
/// Spark writes, each equal to Spark 3.5's own transform, so a format
/// difference between Spark 3.5 and 4 cannot go unseen.
@Suite struct SparkClassesSpark35Tests {
    static let fixtures = [
        "pca", "chisq_selector", "univariate_selector", "variance_selector", "robust", "vector_indexer_keep",
        "quantile_keep", "linear_svc", "mlp", "nb_multinomial", "nb_gaussian", "kmeans", "bisecting_kmeans",
        "gaussian_mixture", "ovr", "fm_classifier", "fm_regressor", "isotonic", "glr_binomial_logit",
        "glr_tweedie_power", "aft", "pipeline",
    ]

    @Test(arguments: fixtures)
    func spark35SaveEqualsSparkTransform(_ name: String) throws {
        let fixture = try SparkClassesFixture("spark35/\(name)")
        #expect((fixture.base.json["spark_version"] as? String)?.hasPrefix("3.5") == true)
        #expect(try fixture.stage().sparkVersion.hasPrefix("3.5"))
        try checkClassAgainstSpark(fixture)
    }

    @Test func everySpark35FixtureOnDiskIsTested() throws {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: sparkClassesFixtures.appendingPathComponent("spark35").path)
            .filter { $0.hasSuffix(".expected.json") }.map { String($0.dropLast(".expected.json".count)) }
        #expect(Set(names) == Set(Self.fixtures))
    }
}
