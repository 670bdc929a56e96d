import ConveyorCore
import Foundation
import Testing

@testable import MLeap

/// scikit-learn models exported with mleap 0.25.3 (training/sklearn_models.py)
/// agree with scikit-learn's own predictions on held-back rows: 1e-9
/// relative for regressions, 1e-6 for probabilities, exact for labels.
@Suite struct SklearnFixtureTests {
    static let directory = projectRoot.appendingPathComponent("Tests/Fixtures/sklearn-mleap")

    struct Expected {
        let columns: [String]
        let rows: [[Double]]
        func column(_ name: String) -> [Double] {
            let index = columns.firstIndex(of: name)!
            return rows.map { $0[index] }
        }
    }

    static func manifest() throws -> [String: (op: String, inputs: [String], classes: [String]?)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        let models = (json as! [String: Any])["models"] as! [String: [String: Any]]
        return models.mapValues { ($0["op"] as! String, $0["inputs"] as! [String], $0["classes"] as? [String]) }
    }

    static func load(_ name: String) throws -> (MLeapStage, Expected, Frame) {
        let stage = try MLeapStage(name: name, bundleURL: directory.appendingPathComponent(name + ".zip"), schema: nil)
        let lines = try csvRows(directory.appendingPathComponent(name + ".csv"))
        let expected = Expected(columns: lines[0], rows: lines.dropFirst().map { $0.map { Double($0)! } })
        let inputs = try manifest()[name]!.inputs
        let columns = inputs.map { name in Column.doubles(name, expected.column(name)) }
        return (stage, expected, try Frame(columns: columns))
    }

    static func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b), 1e-300) || a == b
    }

    @Test(arguments: ["adult_linear_regression", "adult_decision_tree_regression", "adult_random_forest_regression"])
    func regressionsMatchScikitLearn(_ name: String) throws {
        let (stage, expected, input) = try Self.load(name)
        #expect(stage.ops.last == (try Self.manifest()[name]!.op))
        let out = try stage.transformAll(input)
        let got = try #require(out.column("prediction")).scalarDoubles()
        let want = expected.column("prediction")
        #expect(got.count == 200)
        for row in 0..<want.count {
            #expect(Self.close(got[row], want[row], relative: 1e-9), "row \(row): \(got[row]) vs \(want[row])")
        }
    }

    @Test(arguments: [
        "adult_logistic_regression", "adult_decision_tree_classifier", "adult_random_forest_classifier",
        "car_decision_tree_classifier", "car_random_forest_classifier",
    ])
    func classifiersMatchScikitLearn(_ name: String) throws {
        let (stage, expected, input) = try Self.load(name)
        let classes = try #require(try Self.manifest()[name]!.classes)
        let out = try stage.transformAll(input)
        let labels = try #require(out.column("prediction")).scalarDoubles()
        #expect(labels == expected.column("prediction"), "labels must be exact")

        // Probabilities: the node's probability column when its shape names
        // one (random forests), else the model's own probability.
        let node = try #require(stage.transformers.last as? ClassifierNode)
        #expect(node.model.numClasses == classes.count)
        let features = try #require(out.column("features")).vectorBlock()
        let probabilityColumn = try out.column("probability").map { try $0.vectorBlock() }
        for row in 0..<features.rowCount {
            var probability = [Double](repeating: 0, count: classes.count)
            if let probabilityColumn {
                probability = Array(probabilityColumn.row(row))
            } else {
                node.model.raw(features.row(row), into: &probability)
                node.model.probability(&probability)
            }
            for k in 0..<classes.count {
                let want = expected.column("prob_\(k)")[row]
                #expect(abs(probability[k] - want) <= 1e-6, "row \(row) class \(k): \(probability[k]) vs \(want)")
            }
        }
    }

    @Test func inspectFactsNameClassesFeaturesAndTrees() throws {
        let (forest, _, _) = try Self.load("car_random_forest_classifier")
        let facts = try #require(forest.facts.first { $0.label == "nodes" }?.children.last?.children)
        #expect(facts.contains(Fact("classes", "4")))
        #expect(facts.contains(Fact("features", "6")))
        #expect(facts.contains(Fact("trees", "15")))
        let (logistic, _, _) = try Self.load("adult_logistic_regression")
        let lrFacts = try #require(logistic.facts.first { $0.label == "nodes" }?.children.last?.children)
        #expect(lrFacts.contains(Fact("classes", "2")))
        #expect(lrFacts.contains(Fact("features", "5")))
        #expect(lrFacts.contains(Fact("family", "binomial")))
    }
}
