import ConveyorCore
import Foundation
import Testing
@testable import SparkML

/// The vector feature stages saved by PySpark 4.3 (training/spark_classes.py):
/// every column Spark adds equals Spark's own transform, row by row, with the
/// rows Spark refuses (null vectors, wrong sizes, unseen categories under
/// `error`) refused and the rows it drops (`skip`) dropped.
@Suite struct SparkFeatureClassesTests {
    static let fixtures = [
        "pca", "chisq_selector", "univariate_selector", "variance_selector", "slicer", "normalizer_p1", "normalizer_p2",
        "normalizer_p3", "normalizer_inf", "elementwise", "poly2", "poly3", "dct", "dct_inverse", "robust",
        "robust_scale_only", "size_hint_error", "size_hint_skip", "size_hint_optimistic", "vector_indexer_error",
        "vector_indexer_skip", "vector_indexer_keep", "quantile_keep", "quantile_skip", "quantile_error", "feature_hasher",
    ]

    /// Rows Conveyor refuses where Spark computes something it does not
    /// reproduce: a DCT of ±∞ (JTransforms' FFT turns it into NaN in some outputs).
    static let conveyorRefuses: [String: [Int: String]] = [
        "dct": [6: "infinite"], "dct_inverse": [6: "infinite"],
    ]

    @Test(arguments: fixtures)
    func equalsSparkTransform(_ name: String) throws {
        try checkClassAgainstSpark(try SparkClassesFixture(name), conveyorRefuses: Self.conveyorRefuses[name] ?? [:])
    }

    /// The fixtures hold the edges the comparisons are meant to cover.
    @Test func fixturesExerciseTheEdges() throws {
        // A null vector is refused by every UDF-based stage, as Spark refuses it.
        for name in ["pca", "slicer", "normalizer_p2", "poly2", "dct", "robust", "elementwise"] {
            #expect(try SparkClassesFixture(name).base.errorRows == [7], "\(name)")
        }
        // VectorIndexer: the unseen category 5.0 (row 3) is refused, dropped or kept as index 3.
        #expect(try SparkClassesFixture("vector_indexer_error").base.errorRows.contains(3))
        #expect(try SparkClassesFixture("vector_indexer_skip").base.expected[3] == nil)
        let kept = try SparkClassesFixture("vector_indexer_keep").base.expected[3]?["out"] as? [Any]
        #expect((kept?[2] as? NSNumber)?.doubleValue == 3)
        // VectorSizeHint: the 2-element row is refused, dropped, or passed.
        #expect(try SparkClassesFixture("size_hint_error").base.errorRows.contains(9))
        #expect(try SparkClassesFixture("size_hint_skip").base.expected[9] == nil)
        #expect(try SparkClassesFixture("size_hint_optimistic").base.expected[9] != nil)
        // QuantileDiscretizer saves a Bucketizer, whose handleInvalid covers NaN.
        let quantile = try SparkClassesFixture("quantile_keep")
        #expect(quantile.sparkClass == "Bucketizer")
        #expect((quantile.base.expected[3]?["out"] as? NSNumber)?.doubleValue == 3)
    }

    @Test func widthsAreKnownAtLoad() throws {
        let pca = try SparkClassesFixture("pca").stage()
        #expect(pca.inputs.map(\.description) == ["features: vector<double>[4]"])
        #expect(pca.outputs.map(\.description) == ["out: vector<double>[2]"])
        let hint = try SparkClassesFixture("size_hint_error").stage()
        #expect(hint.inputs.map(\.description) == ["features: vector<double>[4]"])
    }

    /// A slicer by feature names needs ML attributes that requests do not carry.
    @Test func slicerByNamesIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-slicer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("metadata"), withIntermediateDirectories: true)
        let metadata = #"{"class":"org.apache.spark.ml.feature.VectorSlicer","sparkVersion":"4.3.0","uid":"s","#
            + #""paramMap":{"inputCol":"a","outputCol":"b","indices":[0],"names":["f1"]},"defaultParamMap":{}}"#
        try Data(metadata.utf8).write(to: dir.appendingPathComponent("metadata/part-00000"))
        do {
            _ = try SparkMLStage(name: "slice", modelURL: dir, schema: nil)
            Issue.record("a slicer by names loaded")
        } catch let error as ConveyorError {
            #expect(error.code == .unsupportedModel && error.message.contains("param 'names'"), "\(error)")
        }
    }
}
