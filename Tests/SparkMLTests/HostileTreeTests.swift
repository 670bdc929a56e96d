import ConveyorCore
import Parquet
import Operators
import Testing

@testable import SparkML

/// Corrupt Spark tree node records (issue 10) are refused at load: ids,
/// children, reachability and feature indices are all checked, so a tree
/// can neither crash nor loop at prediction time.
@Suite struct HostileTreeTests {
    /// A node record as Spark's tree writers save it.
    static func node(_ id: Int64, left: Int64 = -1, right: Int64 = -1, feature: Int64 = 0, threshold: Double = 0.5,
                     prediction: Double = 0) -> ParquetValue {
        .record([
            "id": .int(id), "prediction": .double(prediction), "impurityStats": .list([]),
            "leftChild": .int(left), "rightChild": .int(right),
            "split": .record(["featureIndex": .int(feature), "leftCategoriesOrThreshold": .list([.double(threshold)]),
                              "numCategories": .int(-1)]),
        ])
    }

    private func refusal(_ records: [ParquetValue], width: Int? = 3) -> ConveyorError? {
        do {
            _ = try FittedTree(sparkRecords: records, width: width, what: "tree")
            Issue.record("a corrupt tree was accepted")
            return nil
        } catch let error as ConveyorError {
            #expect(error.code == .modelCorrupt)
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func aValidTreePredicts() throws {
        let tree = try FittedTree(
            sparkRecords: [Self.node(0, left: 1, right: 2, feature: 1, threshold: 0.5),
                           Self.node(1, prediction: 10), Self.node(2, prediction: 20)],
            width: 3, what: "tree")
        let model = try Operators.TreeModel(
            trees: [tree], weights: [1], combination: .sum, numFeatures: 3, numClasses: 0,
            columns: ClassifierColumns(features: "f", rawPrediction: nil, probability: nil, prediction: "p"),
            thresholds: nil, what: "tree")
        // At the threshold goes left (Spark's x <= t); NaN goes right.
        let block = VectorBlock(width: 3, storage: [0, 0.2, 0, 0, 0.9, 0, 0, 0.5, 0, 0, .nan, 0])
        let out = try model.transform(try Frame(columns: [.vectors("f", block)]), stage: "s")
        #expect(try out.require("p", stage: "s").scalarDoubles() == [10, 20, 10, 20])
    }

    @Test func aCycleIsRefused() {
        let error = refusal([Self.node(0, left: 1, right: 2), Self.node(1, left: 0, right: 2), Self.node(2)])
        #expect(error?.message.contains("reached twice") == true, "\(String(describing: error))")
    }

    @Test func aSelfLoopIsRefused() {
        let error = refusal([Self.node(0, left: 0, right: 1), Self.node(1)])
        #expect(error?.message.contains("reached twice") == true, "\(String(describing: error))")
    }

    @Test func aChildOutsideTheTreeIsRefused() {
        let error = refusal([Self.node(0, left: 1, right: 99), Self.node(1)])
        #expect(error?.message.contains("missing children") == true, "\(String(describing: error))")
    }

    @Test func aFeatureOutsideTheVectorIsRefused() {
        let error = refusal([Self.node(0, left: 1, right: 2, feature: 3), Self.node(1), Self.node(2)], width: 3)
        #expect(error?.message.contains("missing children or split") == true, "\(String(describing: error))")
    }

    @Test func strayNodesAreRefused() {
        let error = refusal([Self.node(0, left: 1, right: 2), Self.node(1), Self.node(2), Self.node(3)])
        #expect(error?.message.contains("not reachable") == true, "\(String(describing: error))")
    }

    @Test func duplicateMissingOrRootlessIdsAreRefused() {
        #expect(refusal([Self.node(0), Self.node(0)])?.message.contains("not unique") == true)
        #expect(refusal([Self.node(1), Self.node(2)])?.message.contains("root 0") == true)
        #expect(refusal([Self.node(-1, left: 0, right: 1), Self.node(0), Self.node(1)])?.message.contains("root 0") == true)
        let noID = ParquetValue.record(["prediction": .double(1)])
        #expect(refusal([noID])?.message.contains("without an id") == true)
    }
}
