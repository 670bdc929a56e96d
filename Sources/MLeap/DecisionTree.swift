import Foundation
import Archives
import ConveyorCore

/// A Spark decision tree as MLeap stores it: `tree.json`, one JSON node per
/// line in pre-order (a node, its left subtree, its right subtree). Held
/// as flat arrays so prediction is a tight loop.
struct DecisionTree: Sendable {
    /// For internal nodes: the feature index; -1 marks a leaf.
    var feature: [Int] = []
    var threshold: [Double] = []
    /// Categorical splits: the categories listed, and whether they go left.
    var categories: [Set<Double>?] = []
    var listedGoLeft: [Bool] = []
    var left: [Int] = []
    var right: [Int] = []
    /// Leaf prediction (the first of `values`).
    var value: [Double] = []
    /// Every leaf value (class counts or weights for classifiers); empty for internal nodes.
    var leafValues: [[Double]] = []
    var numFeatures: Int

    init(files: FileTree, node: String) throws {
        let model = try JSONValue.parse(try files.require("model.json"), file: files.source + "/model.json")
        numFeatures = Int(model["attributes"]?["num_features"]?["long"]?.double ?? 0)
        let text = String(decoding: try files.require("tree.json"), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        var cursor = 0
        let parsed = try lines.map { try JSONValue.parse(Data($0.utf8), file: files.source + "/tree.json") }
        _ = try build(parsed, &cursor, source: files.source)
        guard cursor == parsed.count else {
            throw ConveyorError(.modelCorrupt, "'\(files.source)/tree.json' has \(parsed.count - cursor) extra nodes")
        }
    }

    /// Appends the subtree starting at `parsed[cursor]`; returns its index.
    private mutating func build(_ parsed: [JSONValue], _ cursor: inout Int, source: String) throws -> Int {
        guard cursor < parsed.count else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' ends inside the tree")
        }
        let json = parsed[cursor]
        cursor += 1
        let index = feature.count
        feature.append(-1); threshold.append(0); categories.append(nil); listedGoLeft.append(true)
        left.append(-1); right.append(-1); value.append(0); leafValues.append([])
        if json["type"]?.string == "leaf" {
            let values = (json["values"]?.array ?? []).map { $0.double ?? .nan }
            value[index] = values.first ?? .nan
            leafValues[index] = values
            return index
        }
        guard let split = json["split"], let featureIndex = split["featureIndex"]?.double else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' has a node without a split")
        }
        feature[index] = Int(featureIndex)
        if split["type"]?.string == "categorical" {
            categories[index] = Set((split["categories"]?.array ?? []).compactMap(\.double))
            listedGoLeft[index] = split["isLeft"]?.bool ?? true
        } else {
            threshold[index] = split["threshold"]?.double ?? .nan
        }
        left[index] = try build(parsed, &cursor, source: source)
        right[index] = try build(parsed, &cursor, source: source)
        return index
    }

    /// Continuous: x ≤ threshold goes left. Categorical: listed categories go
    /// to the side `isLeft` names.
    func predict(_ x: ArraySlice<Double>) -> Double {
        value[leaf(x)]
    }

    /// The index of the leaf `x` falls into.
    func leaf(_ x: ArraySlice<Double>) -> Int {
        let base = x.startIndex
        var node = 0
        while feature[node] >= 0 {
            let v = x[base + feature[node]]
            let goLeft: Bool
            if let listed = categories[node] {
                goLeft = listed.contains(v) == listedGoLeft[node]
            } else {
                goLeft = v <= threshold[node]
            }
            node = goLeft ? left[node] : right[node]
        }
        return node
    }

    var nodeCount: Int { feature.count }
}

