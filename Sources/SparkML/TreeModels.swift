import ConveyorCore
import Foundation
import Operators
import Parquet

/// Reads Spark's tree models — DecisionTree / RandomForest / GBT,
/// classification and regression — into the tree kernel.
struct TreeModel: SparkTransformer {
    enum Kind: String, Sendable {
        case decisionTreeClassifier, decisionTreeRegressor, randomForestClassifier, randomForestRegressor,
             gbtClassifier, gbtRegressor
    }

    let metadata: SparkMetadata
    let kind: Kind
    let columns: PredictionColumns
    let kernel: Operators.TreeModel

    init(_ dir: SparkStageDirectory, kind: Kind) throws {
        metadata = dir.metadata
        self.kind = kind
        columns = PredictionColumns(metadata)
        let width = metadata.extraInt("numFeatures") ?? 0
        let what = "\(metadata.className) '\(metadata.uid)'"
        let (trees, weights) = try Self.fittedTrees(dir, kind: kind)
        let classes: Int
        switch kind {
        case .gbtClassifier: classes = 2
        case .decisionTreeClassifier, .randomForestClassifier:
            classes = metadata.extraInt("numClasses") ?? trees.first?.stats.first(where: { !$0.isEmpty })?.count ?? 0
        default: classes = 0
        }
        let combination: Operators.TreeModel.Combination = switch kind {
        case .decisionTreeRegressor, .gbtRegressor: .sum
        case .randomForestRegressor: .mean
        case .decisionTreeClassifier: .classCounts
        case .randomForestClassifier: .votes
        case .gbtClassifier: .logistic
        }
        let named = { (name: String) in name.isEmpty ? nil : name }
        kernel = try Operators.TreeModel(
            // Spark's forest regressor averages the trees unweighted.
            trees: trees, weights: kind == .randomForestRegressor ? weights.map { _ in 1 } : weights,
            combination: combination, numFeatures: width, numClasses: classes,
            columns: ClassifierColumns(features: columns.features, rawPrediction: classes > 0 ? named(columns.rawPrediction) : nil,
                                       probability: classes > 0 ? named(columns.probability) : nil,
                                       prediction: named(columns.prediction)),
            thresholds: metadata.isSet("thresholds") ? metadata.doubles("thresholds") : nil,
            leafColumn: (metadata.string("leafCol")).flatMap { $0.isEmpty ? nil : LeafOutput.Column(
                name: $0, vector: kind != .decisionTreeClassifier && kind != .decisionTreeRegressor) },
            what: what)
    }

    /// The saved trees and their weights, as the format has them.
    static func fittedTrees(_ dir: SparkStageDirectory, kind: Kind) throws -> (trees: [FittedTree], weights: [Double]) {
        let width = dir.metadata.extraInt("numFeatures") ?? 0
        let what = "\(dir.metadata.className) '\(dir.metadata.uid)'"
        let rows = try dir.parquetRows()
        switch kind {
        case .decisionTreeClassifier, .decisionTreeRegressor:
            return ([try FittedTree(sparkRecords: rows, width: width, what: what)], [1])
        default:
            return try ensemble(dir, rows: rows, width: width, what: what)
        }
    }

    /// The trees of an ensemble (nodes grouped by `treeID`) and their
    /// weights (`treesMetadata`).
    static func ensemble(_ dir: SparkStageDirectory, rows: [ParquetValue], width: Int, what: String) throws
        -> (trees: [FittedTree], weights: [Double])
    {
        let metadata = dir.metadata
        var grouped: [Int64: [ParquetValue]] = [:]
        for row in rows {
            guard let id = row["treeID"]?.int, let node = row["nodeData"] else {
                throw metadata.failure("a node row without treeID/nodeData")
            }
            grouped[id, default: []].append(node)
        }
        var treeWeights: [Int64: Double] = [:]
        for row in try dir.parquetRows("treesMetadata") {
            // Columns are named treeID/metadata/weights or _1/_2/_3 depending on the Spark version.
            guard let id = (row["treeID"] ?? row["_1"])?.int, let weight = (row["weights"] ?? row["_3"])?.double else {
                throw metadata.failure("treesMetadata rows lack treeID and weight")
            }
            treeWeights[id] = weight
        }
        let ids = grouped.keys.sorted()
        guard !ids.isEmpty, ids == Array(0..<Int64(ids.count)), treeWeights.count == ids.count else {
            throw metadata.failure("trees \(ids.count) and tree weights \(treeWeights.count) do not match")
        }
        var trees: [FittedTree] = [], weights: [Double] = []
        for id in ids {
            guard let records = grouped[id], let weight = treeWeights[id] else {
                throw metadata.failure("tree \(id) has no nodes or no weight")
            }
            trees.append(try FittedTree(sparkRecords: records, width: width, what: "\(what) tree \(id)"))
            weights.append(weight)
        }
        return (trees, weights)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(kernel.numFeatures))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        let predictions = kernel.isClassifier ? columns.classifierSpecs(classes: kernel.numClasses)
                                               : columns.regressorSpecs()
        return predictions + (kernel.leaves.map { [ColumnSpec($0.column.name, $0.type)] } ?? [])
    }

    var dataFacts: [Fact] {
        [Fact("trees", "\(kernel.treeCount)"), Fact("nodes", "\(kernel.nodeCount)"),
         Fact("features", "\(kernel.numFeatures)")] + (kernel.isClassifier ? [Fact("classes", "\(kernel.numClasses)")] : [])
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        guard kernel.isClassifier || kernel.columns.prediction != nil || kernel.leaves != nil else { return frame }
        return try kernel.transform(frame, stage: stage)
    }
}
