import Foundation
import Testing

/// `conveyor inspect` shows classes, feature count and trees/layers for
/// every model op of the real Spark parity bundles and the scikit-learn
/// exports (issue 3: "inspect shows the model facts for each new op").
@Suite struct InspectParityModelFactsTests {
    static let parity = projectRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/mleap-bundles/mleap-docs-spark-parity-52/bundles")
    static let sklearn = projectRoot.appendingPathComponent("Tests/Fixtures/sklearn-mleap")

    static let cases: [(bundle: String, facts: [String])] = [
        ("classification.GBTClassifier", ["gbt_classifier", "classes: 2", "features: 2", "trees: 20", "thresholds: 1.0, 1.0"]),
        ("classification.LogisticRegression", ["logistic_regression", "classes: 2", "features: 2", "family: binomial"]),
        ("classification.MultiLayerPerceptronClassifier",
         ["multi_layer_perceptron_classifier", "classes: 3", "features: 2", "layers: 2 → 5 → 4 → 3"]),
        ("classification.NaiveBayesClassifier", ["naive_bayes", "classes: 1", "features: 1", "model type: multinomial"]),
        ("classification.OneVsRest", ["one_vs_rest", "classes: 7", "features: 2"]),
        ("classification.DecisionTreeClassifier", ["decision_tree_classifier", "classes: 1", "features: 2", "trees: 1"]),
        ("classification.RandomForestClassifier", ["random_forest_classifier", "classes: 1", "features: 2", "trees: 20"]),
        ("mleap.classification.SupportVectorMachine", ["support_vector_machine", "classes: 2", "features: 2"]),
        ("regression.DecisionTreeRegression", ["decision_tree_regression", "trees: 1", "features: 2"]),
        ("regression.RandomForestRegression", ["random_forest_regression", "trees: 20", "features: 2"]),
        ("regression.GBTRegression", ["gbt_regression", "trees: 20", "features: 2"]),
        ("regression.LinearRegression", ["linear_regression", "features: 7"]),
        ("regression.GeneralizedLinearRegression",
         ["generalized_linear_regression", "features: 7", "family: gaussian", "link: log"]),
        ("regression.AFTSurvivalRegression", ["aft_survival_regression", "features: 7", "quantiles: 9"]),
        ("regression.IsotonicRegression", ["isotonic_regression", "boundaries: 18", "isotonic: true"]),
        ("sklearn:car_logistic_regression",
         ["logistic_regression", "classes: 4", "features: 6", "family: multinomial",
          "coefficients: row-major (mleap Python writer)"]),
        ("sklearn:adult_linear_svc", ["svm", "classes: 2", "features: 5"]),
    ]

    static func bundleURL(_ name: String) -> URL {
        if name.hasPrefix("sklearn:") { return sklearn.appendingPathComponent(name.dropFirst(8) + ".zip") }
        let prefix = name.hasPrefix("mleap.") ? "org.apache.spark.ml.mleap.parity." + name.dropFirst(6)
            : "org.apache.spark.ml.parity." + name
        return parity.appendingPathComponent(prefix + "ParitySpec.zip")
    }

    @Test(arguments: cases.indices)
    func modelFactsAreShown(_ index: Int) async throws {
        let (bundle, facts) = Self.cases[index]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = folder.appendingPathComponent("p.json")
        try Data("""
            {"name": "models", "stages": [{"name": "model", "kind": "mleap", "model": "\(Self.bundleURL(bundle).path)"}]}
            """.utf8).write(to: pipeline)
        let result = try await conveyor(["inspect", pipeline.path])
        #expect(result.status == 0, "\(bundle): \(result.stderr)")
        for fact in facts {
            #expect(result.stdout.contains(fact), "\(bundle): missing '\(fact)' in\n\(result.stdout)")
        }
    }
}
