import Archives
import ConveyorCore
import Foundation
import Operators

/// Reads a Spark decision tree as MLeap stores it: `tree.json`, one JSON
/// node per line in pre-order (a node, its left subtree, its right
/// subtree), and `num_features` in `model.json`. Built without recursion (a
/// hostile tree may be a million levels deep); children always follow their
/// parent, so the tree has no cycles by construction.
extension FittedTree {
    /// The tree and the `num_features` its model.json declares.
    static func mleap(files: FileTree) throws -> (tree: FittedTree, numFeatures: Int) {
        let model = try JSONValue.parse(try files.require("model.json"), file: files.source + "/model.json")
        let declared = model["attributes"]?["num_features"]?["long"]?.double ?? 0
        guard let features = Int(exactly: declared), features >= 0, features <= MLeapLimits.maxWidth else {
            throw ConveyorError(
                .modelCorrupt, "'\(files.source)/model.json': num_features \(declared) is not in 0...\(MLeapLimits.maxWidth)")
        }
        let text = String(decoding: try files.require("tree.json"), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        let source = files.source
        var tree = FittedTree()
        // Slots still waiting for a child: (parent, isLeft), the next one last.
        var open: [(parent: Int, isLeft: Bool)] = []
        for (number, line) in lines.enumerated() {
            if number > 0 {
                guard let slot = open.popLast() else {
                    throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' has \(lines.count - number) extra nodes")
                }
                if slot.isLeft { tree.left[slot.parent] = Int32(number) } else { tree.right[slot.parent] = Int32(number) }
            }
            let json = try JSONValue.parse(Data(line.utf8), file: source + "/tree.json")
            if try tree.appendMLeap(json, source: source, width: features) {
                open.append((number, false))
                open.append((number, true))
            }
        }
        guard open.isEmpty, !lines.isEmpty, lines.count < Int(Int32.max) else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' ends inside the tree")
        }
        return (tree, features)
    }

    /// Appends one node; true when it is a split (two children follow).
    private mutating func appendMLeap(_ json: JSONValue, source: String, width: Int) throws -> Bool {
        if json["type"]?.string == "leaf" {
            // Classifiers' leaves hold the class counts; regressors' their value.
            let values = (json["values"]?.array ?? []).map { $0.double ?? .nan }
            appendLeaf(prediction: values.first ?? .nan, stats: values)
            return false
        }
        guard let split = json["split"], let featureIndex = split["featureIndex"]?.double else {
            throw ConveyorError(.modelCorrupt, "'\(source)/tree.json' has a node without a split")
        }
        // A feature past the vector would read out of bounds at prediction time.
        guard let feature = Int32(exactly: featureIndex), feature >= 0,
              Int(feature) < (width > 0 ? width : MLeapLimits.maxWidth) else {
            throw ConveyorError(
                .modelCorrupt, "'\(source)/tree.json' splits on feature \(featureIndex), outside 0..<\(width)")
        }
        if split["type"]?.string == "categorical" {
            let listed = (split["categories"]?.array ?? []).compactMap(\.double)
            appendSplit(feature: feature, threshold: 0,
                        categories: Categories(values: listed, listedGoLeft: split["isLeft"]?.bool ?? true))
        } else {
            appendSplit(feature: feature, threshold: split["threshold"]?.double ?? .nan)
        }
        return true
    }
}
