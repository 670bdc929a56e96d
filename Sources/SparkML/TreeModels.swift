import ConveyorCore
import Foundation
import Parquet

/// Spark's tree models: DecisionTree / RandomForest / GBT, classification
/// and regression, with the outputs Spark computes from the leaves.
struct TreeModel: SparkTransformer {
    enum Kind: String, Sendable {
        case decisionTreeClassifier, decisionTreeRegressor, randomForestClassifier, randomForestRegressor,
             gbtClassifier, gbtRegressor
    }

    let metadata: SparkMetadata
    let kind: Kind
    let columns: PredictionColumns
    let trees: [DecisionTree]
    let weights: [Double]
    let width: Int
    let classes: Int
    let thresholds: [Double]?

    init(_ dir: SparkStageDirectory, kind: Kind) throws {
        metadata = dir.metadata
        self.kind = kind
        columns = PredictionColumns(metadata)
        let width = metadata.extraInt("numFeatures") ?? 0
        self.width = width
        let what = "\(metadata.className) '\(metadata.uid)'"
        let rows = try dir.parquetRows()
        switch kind {
        case .decisionTreeClassifier, .decisionTreeRegressor:
            trees = [try DecisionTree(records: rows, width: width, what: what)]
            weights = [1]
        default:
            var grouped: [Int64: [ParquetValue]] = [:]
            for row in rows {
                guard let id = row["treeID"]?.int, let node = row["nodeData"] else { throw metadata.failure("a node row without treeID/nodeData") }
                grouped[id, default: []].append(node)
            }
            let meta = try dir.parquetRows("treesMetadata")
            var treeWeights: [Int64: Double] = [:]
            for row in meta {
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
            var built: [DecisionTree] = [], treeWeightList: [Double] = []
            for id in ids {
                guard let records = grouped[id], let weight = treeWeights[id] else {
                    throw metadata.failure("tree \(id) has no nodes or no weight")
                }
                built.append(try DecisionTree(records: records, width: width, what: "\(what) tree \(id)"))
                treeWeightList.append(weight)
            }
            trees = built
            weights = treeWeightList
        }
        switch kind {
        case .gbtClassifier: classes = 2
        case .decisionTreeClassifier, .randomForestClassifier:
            // Each prediction allocates `classes` values per row: bounded as for linear models.
            let count = metadata.extraInt("numClasses") ?? trees.first?.nodes.first?.stats.count ?? 0
            guard count >= 1, count < 1 << 16 else { throw metadata.failure("numClasses \(count) is out of range") }
            classes = count
        default: classes = 0
        }
        thresholds = metadata.isSet("thresholds") ? metadata.doubles("thresholds") : nil
    }

    var isClassifier: Bool { classes > 0 }

    var inputs: [ColumnSpec] { [ColumnSpec(columns.features, .vector(width == 0 ? nil : width))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        isClassifier ? columns.classifierSpecs(classes: classes) : columns.regressorSpecs()
    }

    var dataFacts: [Fact] {
        [Fact("trees", "\(trees.count)"), Fact("nodes", "\(trees.reduce(0) { $0 + $1.nodes.count })"),
         Fact("features", "\(width)")] + (isClassifier ? [Fact("classes", "\(classes)")] : [])
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let column = try frame.require(columns.features, stage: stage)
        let (actual, rows) = try column.optionalVectors(stage: stage)
        guard width == 0 || actual == width || rows.isEmpty else {
            throw ConveyorError(.invalidInput, "expected feature vectors of \(width) values, got \(actual)",
                                stage: stage, column: columns.features)
        }
        var result = frame
        if !isClassifier {
            let predictions: [Double?] = rows.map { row in
                guard let row else { return nil }
                switch kind {
                case .randomForestRegressor:
                    return trees.reduce(0) { $0 + $1.leaf(row).prediction } / Double(trees.count)
                case .gbtRegressor:
                    return zip(trees, weights).reduce(0) { $0 + $1.1 * $1.0.leaf(row).prediction }
                default:
                    return trees[0].leaf(row).prediction
                }
            }
            if !columns.prediction.isEmpty { try result.put(Columns.doubles(columns.prediction, predictions)) }
            return result
        }
        var raws: [[Double]?] = [], probs: [[Double]?] = [], predictions: [Double?] = []
        for row in rows {
            guard let row else { raws.append(nil); probs.append(nil); predictions.append(nil); continue }
            var raw = [Double](repeating: 0, count: classes)
            var probability: [Double]
            switch kind {
            case .gbtClassifier:
                let margin = zip(trees, weights).reduce(0) { $0 + $1.1 * $1.0.leaf(row).prediction }
                raw = [-margin, margin]
                let p0 = 1 / (1 + exp(-2 * raw[0]))
                probability = [p0, 1 - p0]
            case .randomForestClassifier:
                for tree in trees {
                    let stats = tree.leaf(row).stats
                    let total = stats.reduce(0, +)
                    guard total != 0 else { continue }
                    for i in 0..<min(classes, stats.count) { raw[i] += stats[i] / total }
                }
                probability = Self.normalized(raw)
            default:
                let stats = trees[0].leaf(row).stats
                for i in 0..<min(classes, stats.count) { raw[i] = stats[i] }
                probability = Self.normalized(raw)
            }
            raws.append(raw); probs.append(probability)
            predictions.append(sparkPrediction(probability, thresholds: thresholds))
        }
        try columns.putClassifier(&result, classes: classes, raw: raws, probability: probs, prediction: predictions)
        return result
    }

    static func normalized(_ values: [Double]) -> [Double] {
        let sum = values.reduce(0, +)
        return sum > 0 ? values.map { $0 / sum } : values
    }
}
