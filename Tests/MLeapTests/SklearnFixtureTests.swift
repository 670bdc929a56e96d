import Archives
import ConveyorCore
import ConveyorTestSupport
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
        let json = try ExactJSON.object(with: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        let models = (json as! [String: Any])["models"] as! [String: [String: Any]]
        return models.mapValues { ($0["op"] as! String, $0["inputs"] as! [String], $0["classes"] as? [String]) }
    }

    static func load(_ name: String) throws -> (MLeapStage, Expected, Frame) {
        let stage = try MLeapStage(name: name, bundleURL: directory.appendingPathComponent(name + ".zip"), schema: nil)
        let lines = try csvRows(directory.appendingPathComponent(name + ".csv"))
        let expected = Expected(columns: lines[0], rows: try lines.dropFirst().map { line in
            try line.map { try #require(Double($0), "\(name).csv: \"\($0)\" is not a number") }
        })
        let inputs = try manifest()[name]!.inputs
        let columns = inputs.map { name in Column.doubles(name, expected.column(name)) }
        return (stage, expected, try Frame(columns: columns))
    }

    static let relative = NumericTolerance.relative(1e-9)

    static let regressions = ["adult_linear_regression", "adult_decision_tree_regression", "adult_random_forest_regression"]
    static let classifiers = [
        "adult_logistic_regression", "adult_decision_tree_classifier", "adult_random_forest_classifier",
        "car_decision_tree_classifier", "car_random_forest_classifier", "car_logistic_regression",
    ]

    /// Every model in the manifest (and every bundle on disk) is one a test runs.
    @Test func everyFixtureIsTested() throws {
        let tested = Set(Self.regressions + Self.classifiers + ["adult_linear_svc"])
        #expect(tested.count == 10)
        #expect(Set(try Self.manifest().keys) == tested)
        let zips = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".zip") }
        #expect(Set(zips.map { String($0.dropLast(4)) }) == tested)
    }

    @Test(arguments: regressions)
    func regressionsMatchScikitLearn(_ name: String) throws {
        let (stage, expected, input) = try Self.load(name)
        #expect(stage.ops.last == (try Self.manifest()[name]!.op))
        let out = try stage.transformAll(input)
        let got = try #require(out.column("prediction")).scalarDoubles()
        let want = expected.column("prediction")
        #expect(want.count == 200)
        let result = NumericComparison(got, want, tolerance: Self.relative, label: "\(name) prediction")
        #expect(result.matches, "\(result)")
    }

    @Test(arguments: classifiers)
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
        var probabilities: [Double] = []
        for row in 0..<features.rowCount {
            var probability = [Double](repeating: 0, count: classes.count)
            if let probabilityColumn {
                probability = Array(probabilityColumn.row(row))
            } else {
                node.model.raw(features.row(row), into: &probability)
                node.model.probability(&probability)
            }
            probabilities += probability
        }
        let want = expected.rows.indices.flatMap { row in classes.indices.map { expected.column("prob_\($0)")[row] } }
        let result = NumericComparison(probabilities, want, tolerance: .absolute(1e-6), columns: classes.count,
                                       label: "\(name) probabilities")
        #expect(result.matches, "\(result)")
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

    /// LinearSVC exported as op `svm`: the margin matches scikit-learn's
    /// decision_function and the labels its predict.
    @Test func linearSVCMatchesScikitLearn() throws {
        let (stage, expected, input) = try Self.load("adult_linear_svc")
        #expect(stage.ops.last == "svm")
        let out = try stage.transformAll(input)
        #expect(try #require(out.column("prediction")).scalarDoubles() == expected.column("prediction"))
        let node = try #require(stage.transformers.last as? ClassifierNode)
        let features = try #require(out.column("features")).vectorBlock()
        let decision = expected.column("decision")
        var raw = [0.0, 0.0]
        let margins = (0..<features.rowCount).map { row in
            node.model.raw(features.row(row), into: &raw)
            return raw[1]
        }
        let result = NumericComparison(margins, decision, tolerance: Self.relative, label: "decision")
        #expect(result.matches, "\(result)")
    }

    /// mleap's Python writer stores the multinomial coefficient matrix
    /// row-major; MLeap's Scala runtime reads the same attribute
    /// column-major. Rewritten in Scala's compact layout, the same bundle is
    /// read column-major: the predictions are then those the script computed
    /// for MLeap's Scala runtime (which disagree with scikit-learn), proving
    /// the layout is decided by the writer, not guessed from the values.
    @Test func multinomialLayoutFollowsTheWriter() throws {
        let url = Self.directory.appendingPathComponent("car_logistic_regression.zip")
        let tree = try ArchiveReader.read(url)
        let path = try #require(tree.paths.first { $0.hasSuffix("car_logistic_regression.node/model.json") })
        var files = tree.files
        files[path] = Data(try tree.require(path).filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
        let scalaStyle = try MLeapStage(
            name: "scala", bundle: try MLeapBundle(tree: FileTree(source: "rewritten", files: files)), schema: nil)
        let (pythonStyle, expected, input) = try Self.load("car_logistic_regression")
        let json = try ExactJSON.object(with: Data(contentsOf: Self.directory.appendingPathComponent("manifest.json")))
        let model = try #require(((json as? [String: Any])?["models"] as? [String: Any])?["car_logistic_regression"] as? [String: Any])
        let scalaPredictions = try #require(model["mleap_scala_prediction"] as? [Any]).map { ($0 as! NSNumber).doubleValue }
        let disagreements = try #require((model["mleap_scala_disagrees_on_rows"] as? NSNumber)?.intValue)
        #expect(disagreements > 0)

        let python = try #require(try pythonStyle.transformAll(input).column("prediction")).scalarDoubles()
        let scala = try #require(try scalaStyle.transformAll(input).column("prediction")).scalarDoubles()
        #expect(python == expected.column("prediction"))
        #expect(scala == scalaPredictions)
        #expect(zip(python, scala).filter { $0 != $1 }.count == disagreements)
        let facts = try #require(pythonStyle.facts.first { $0.label == "nodes" }?.children.last?.children)
        #expect(facts.contains(Fact("coefficients", "row-major (mleap Python writer)")))
    }

    /// JSON laid out by neither writer (here 4-space indentation) leaves the
    /// multinomial layout unknowable: refused, not guessed.
    @Test func multinomialMatrixOfAnUnknownWriterIsRefused() throws {
        let url = Self.directory.appendingPathComponent("car_logistic_regression.zip")
        let tree = try ArchiveReader.read(url)
        let path = try #require(tree.paths.first { $0.hasSuffix("car_logistic_regression.node/model.json") })
        var files = tree.files
        let text = String(decoding: try tree.require(path), as: UTF8.self).replacingOccurrences(of: "\n   ", with: "\n    ")
        files[path] = Data(text.utf8)
        let error = conveyorError {
            _ = try MLeapStage(name: "x", bundle: try MLeapBundle(tree: FileTree(source: "x", files: files)), schema: nil)
        }
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("row-major") == true)
    }
}
