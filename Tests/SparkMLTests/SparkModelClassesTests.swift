import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// The classification, regression and clustering models saved by PySpark 4.3
/// (training/spark_classes.py): rawPrediction, probability, prediction and
/// the other columns each adds (GLR's link, AFT's quantiles) equal Spark's own
/// transform; the rows Spark refuses (null vectors, naive Bayes's value
/// checks, cosine's zero vector) are refused.
@Suite struct SparkModelClassesTests {
    static let fixtures = [
        "linear_svc", "linear_svc_threshold", "mlp", "nb_multinomial", "nb_complement", "nb_bernoulli", "nb_gaussian",
        "kmeans", "kmeans_cosine", "bisecting_kmeans", "gaussian_mixture", "ovr", "fm_classifier", "fm_regressor", "isotonic", "isotonic_antitonic",
        "glr_gaussian_identity", "glr_gaussian_log", "glr_binomial_logit", "glr_binomial_probit", "glr_binomial_cloglog",
        "glr_poisson_log", "glr_poisson_sqrt", "glr_gamma_inverse", "glr_tweedie_power", "aft", "pipeline",
    ]

    /// Rows Conveyor refuses where Spark computes something by a rule it does
    /// not reproduce: cosine k-means of a zero vector (the distance is undefined).
    static let conveyorRefuses: [String: [Int: String]] = ["kmeans_cosine": [3: "zero vector"]]

    @Test(arguments: fixtures)
    func equalsSparkTransform(_ name: String) throws {
        try checkClassAgainstSpark(try SparkClassesFixture(name), conveyorRefuses: Self.conveyorRefuses[name] ?? [:])
    }

    /// Every fixture on disk is compared here, in SparkFeatureClassesTests or in SparkLeafColumnTests.
    @Test func everyFixtureOnDiskIsTested() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: sparkClassesFixtures.path)
            .filter { $0.hasSuffix(".expected.json") }.map { String($0.dropLast(".expected.json".count)) }
        #expect(Set(names) == Set(Self.fixtures + SparkFeatureClassesTests.fixtures + SparkLeafColumnTests.fixtures))
    }

    /// The fixtures hold the edges the comparisons are meant to cover.
    @Test func fixturesExerciseTheEdges() throws {
        // Negative counts (row 5) for the count models, 0.5 (row 3) for bernoulli, and the null vector.
        #expect(try SparkClassesFixture("nb_multinomial").base.errorRows == [4, 5])
        #expect(try SparkClassesFixture("nb_complement").base.errorRows == [4, 5])
        #expect(try SparkClassesFixture("nb_bernoulli").base.errorRows == [3, 4])
        // k-means refuses NaN (row 5) and, as every model, the null vector (row 6).
        #expect(try SparkClassesFixture("kmeans_cosine").base.errorRows == [5, 6])
        #expect(try SparkClassesFixture("kmeans").base.errorRows == [5, 6])
        // One-vs-rest predicts −1 when every raw value is NaN (row 5).
        #expect((try SparkClassesFixture("ovr").base.expected[5]?["prediction"] as? NSNumber)?.doubleValue == -1)
        #expect(try SparkClassesFixture("glr_binomial_logit").base.errorRows == [6])
        // GLR writes the link prediction; AFT its three quantiles.
        #expect(try SparkClassesFixture("glr_poisson_log").base.expected[0]?["link"] != nil)
        #expect((try SparkClassesFixture("aft").base.expected[0]?["quantiles"] as? [Any])?.count == 3)
    }

    /// Classes still not run stay refused at load with the factory's message, naming the class.
    @Test(arguments: ["org.apache.spark.ml.clustering.LocalLDAModel", "org.apache.spark.ml.clustering.DistributedLDAModel",
                      "org.apache.spark.ml.fpm.FPGrowthModel"])
    func unsupportedClassesAreRefused(_ className: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-class-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("metadata"), withIntermediateDirectories: true)
        let metadata = #"{"class":"\#(className)","sparkVersion":"4.3.0","uid":"u","paramMap":{},"defaultParamMap":{}}"#
        try Data(metadata.utf8).write(to: dir.appendingPathComponent("metadata/part-00000"))
        do {
            _ = try SparkMLStage(name: "s", modelURL: dir, schema: nil)
            Issue.record("\(className) loaded")
        } catch let error as ConveyorError {
            #expect(error.code == .unsupportedModel && error.message.contains("'\(className)'")
                    && error.message.contains("is not supported"), "\(error)")
        }
    }

    @Test func clusterIndexIsAnIntColumn() throws {
        let stage = try SparkClassesFixture("kmeans").stage()
        #expect(stage.outputs.map(\.description) == ["prediction: int"])
    }
}
