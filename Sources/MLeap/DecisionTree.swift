import Foundation
import Archives
import ConveyorCore

/// A Spark decision tree as MLeap stores it: `tree.json`, one JSON node per
/// line in pre-order (a node, its left subtree, its right subtree). Held
/// as flat arrays so prediction is a tight loop. Built without recursion
/// (a hostile tree may be a million levels deep); children always follow
/// their parent, so the tree has no cycles by construction.
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
        let declared = model["attributes"]?["num_features"]?["long"]?.double ?? 0
        guard let features = Int(exactly: declared), features >= 0, features <= MLeapLimits.maxWidth else {
            throw ConveyorError(
                .modelCorrupt, "'\(files.source)/model.json': num_features \(declared) is not in 0...\(MLeapLimits.maxWidth)")
        }
        numFeatures = features
        let text = String(decoding: try files.require("tree.json"), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        let source = files.source
        // Slots still waiting for a child: (parent, isLeft), the next one last.
        var open: [(parent: Int, isLeft: Bool)] = []
        for (number, line) in lines.enumerated() {
            if number > 0 {
                guard let slot = open.popLast() else {
                    throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' has \(lines.count - number) extra nodes")
                }
                if slot.isLeft { left[slot.parent] = number } else { right[slot.parent] = number }
            }
            let json = try JSONValue.parse(Data(line.utf8), file: source + "/tree.json")
            if try append(json, source: source, width: features) {
                open.append((number, false))
                open.append((number, true))
            }
        }
        guard open.isEmpty, !lines.isEmpty else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' ends inside the tree")
        }
    }

    /// Appends one node; true when it is a split (two children follow).
    private mutating func append(_ json: JSONValue, source: String, width: Int) throws -> Bool {
        let index = feature.count
        feature.append(-1); threshold.append(0); categories.append(nil); listedGoLeft.append(true)
        left.append(-1); right.append(-1); value.append(0); leafValues.append([])
        if json["type"]?.string == "leaf" {
            let values = (json["values"]?.array ?? []).map { $0.double ?? .nan }
            value[index] = values.first ?? .nan
            leafValues[index] = values
            return false
        }
        guard let split = json["split"], let featureIndex = split["featureIndex"]?.double else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' has a node without a split")
        }
        // A feature past the vector would read out of bounds at prediction time.
        guard let featureNumber = Int(exactly: featureIndex), featureNumber >= 0,
              featureNumber < (width > 0 ? width : MLeapLimits.maxWidth) else {
            throw ConveyorError(
                .modelCorrupt, "'\(source)/tree.json' splits on feature \(featureIndex), outside 0..<\(width)")
        }
        feature[index] = featureNumber
        if split["type"]?.string == "categorical" {
            categories[index] = Set((split["categories"]?.array ?? []).compactMap(\.double))
            listedGoLeft[index] = split["isLeft"]?.bool ?? true
        } else {
            threshold[index] = split["threshold"]?.double ?? .nan
        }
        return true
    }

    /// The highest feature index a split reads, -1 when the tree is one leaf.
    var maxFeature: Int { feature.max() ?? -1 }

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

