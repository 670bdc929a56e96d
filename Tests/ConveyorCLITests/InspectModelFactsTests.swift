import Foundation
import Testing

/// `conveyor inspect` shows the facts of the issue 3 model ops and of a
/// SageMaker XGBoost artifact.
@Suite struct InspectModelFactsTests {
    @Test func classifierOpFactsAreShown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundles = projectRoot.appendingPathComponent("Tests/Fixtures/sklearn-mleap")
        let pipeline = folder.appendingPathComponent("p.json")
        try Data("""
            {"name": "classifiers", "stages": [
              {"name": "forest", "kind": "mleap", "model": "\(bundles.path)/car_random_forest_classifier.zip"}]}
            """.utf8).write(to: pipeline)
        let result = try await conveyor(["inspect", pipeline.path])
        #expect(result.status == 0)
        for fact in ["random_forest_classifier", "classes: 4", "features: 6", "trees: 15",
                     "probability: vector<double>[4]"] {
            #expect(result.stdout.contains(fact), "missing \(fact)")
        }
    }

    @Test func sageMakerArtifactFactsAreShown() async throws {
        let result = try await conveyor(["inspect", "pipelines/titanic.json"])
        #expect(result.status == 0)
        for fact in ["packaging: SageMaker model.tar.gz (xgboost-model), pickled xgboost Booster",
                     "objective: binary:logistic", "num_feature: 7", "format: legacy_binary"] {
            #expect(result.stdout.contains(fact), "missing \(fact)")
        }
    }
}
