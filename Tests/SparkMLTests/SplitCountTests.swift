import Archives
import ConveyorCore
import ConveyorTestSupport
import Foundation
import Operators
@testable import SparkML
import Testing

/// MLeap bundles keep a tree classifier's class counts at its leaves only;
/// explanations then weigh each split by its leaves' counts. On the
/// Spark-saved tree and forest classifiers (whose explanations equal shap's,
/// SparkModelExplanationTests), dropping every split's impurityStats must
/// change nothing: Spark's split counts are their leaves' sums.
@Suite struct SplitCountTests {
    static let directory = SparkModelExplanationTests.directory

    @Test(arguments: [("decision_tree_classifier", SparkML.TreeModel.Kind.decisionTreeClassifier),
                      ("random_forest_classifier", SparkML.TreeModel.Kind.randomForestClassifier)])
    func leafCountsGiveSparksSplitCounts(_ name: String, _ kind: SparkML.TreeModel.Kind) throws {
        let files = try ArchiveReader.read(Self.directory.appendingPathComponent(name))
        let stage = try #require(files.paths.first { $0.hasPrefix("stages/") && $0.contains("/metadata/part-") })
        let dir = try SparkStageDirectory(tree: files, directory: stage.split(separator: "/").prefix(2).joined(separator: "/"))
        let model = try SparkML.TreeModel(dir, kind: kind)
        var (trees, weights) = try SparkML.TreeModel.fittedTrees(dir, kind: kind)
        var splits = 0
        for index in trees.indices {
            for node in 0..<trees[index].nodeCount where trees[index].left[node] != -1 {
                trees[index].stats[node] = []
                splits += 1
            }
        }
        #expect(splits > 10)
        let leafOnly = try Operators.TreeModel(
            trees: trees, weights: weights, combination: model.kernel.combination, numFeatures: model.kernel.numFeatures,
            numClasses: model.kernel.numClasses, columns: model.kernel.columns, thresholds: nil, what: name)

        let expected = try JSONDecoder().decode(SparkModelExplanationTests.Expected.self, from: Data(
            contentsOf: Self.directory.appendingPathComponent("expected.json")))
        let features = try #require(expected.models[name]).features
        let flat = features.flatMap { $0 }
        let comparison = NumericComparison(try leafOnly.contributions(flat, rows: features.count),
                                           try model.kernel.contributions(flat, rows: features.count),
                                           tolerance: NumericTolerance(absolute: 1e-12, relative: 1e-12),
                                           label: "\(name): leaf counts vs Spark's split counts")
        #expect(comparison.matches, "\(comparison)")
    }

    /// Leaves holding probabilities instead of counts are refused.
    @Test func normalizedLeavesAreRefused() throws {
        var tree = FittedTree()
        tree.appendSplit(feature: 0, threshold: 0.5)
        tree.left[0] = Int32(tree.appendLeaf(prediction: 0, stats: [0.75, 0.25]))
        tree.right[0] = Int32(tree.appendLeaf(prediction: 1, stats: [0.1, 0.9]))
        let model = try Operators.TreeModel(
            trees: [tree], weights: [1], combination: .classCounts, numFeatures: 1, numClasses: 2,
            columns: ClassifierColumns(features: "f", rawPrediction: nil, probability: nil, prediction: "p"),
            thresholds: nil, what: "tree")
        let error = #expect(throws: ConveyorError.self) { try model.contributions([0.2], rows: 1) }
        #expect(error?.message.contains("look like probabilities") == true, "\(String(describing: error))")
    }
}
