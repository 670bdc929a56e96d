import ConveyorCore
import Parquet

/// One fitted Spark decision tree, flattened for prediction. Nodes are
/// saved as rows (id, prediction, impurityStats, leftChild, rightChild,
/// split{featureIndex, leftCategoriesOrThreshold, numCategories}).
struct DecisionTree: Sendable {
    struct Node: Sendable {
        var prediction: Double
        var stats: [Double]
        var feature: Int
        /// Continuous: [threshold]; categorical: the categories going left.
        var leftValues: [Double]
        var categorical: Bool
        var left: Int
        var right: Int
        var isLeaf: Bool { left < 0 }
    }

    let nodes: [Node]

    /// Builds the tree from its node records; `what` names the model in errors.
    init(records: [ParquetValue], width: Int?, what: String) throws {
        func corrupt(_ message: String) -> ConveyorError { ConveyorError(.modelCorrupt, "\(what): \(message)") }
        var byID: [Int64: Int] = [:]
        for (index, record) in records.enumerated() {
            guard let id = record["id"]?.int else { throw corrupt("a tree node without an id") }
            byID[id] = index
        }
        guard byID.count == records.count, byID[0] != nil else { throw corrupt("tree node ids are not unique or lack the root 0") }
        var out: [Node] = []
        out.reserveCapacity(records.count)
        // Root first, then ids map to positions.
        let order = records.indices.sorted { (records[$0]["id"]?.int ?? 0) < (records[$1]["id"]?.int ?? 0) }
        var position: [Int64: Int] = [:]
        for (slot, index) in order.enumerated() { position[records[index]["id"]!.int!] = slot }
        for index in order {
            let record = records[index]
            guard let prediction = record["prediction"]?.double, let leftID = record["leftChild"]?.int,
                  let rightID = record["rightChild"]?.int else { throw corrupt("a tree node lacks prediction or children") }
            let stats = (record["impurityStats"]?.list ?? []).compactMap(\.double)
            var node = Node(prediction: prediction, stats: stats, feature: -1, leftValues: [], categorical: false,
                            left: -1, right: -1)
            if leftID >= 0 || rightID >= 0 {
                guard let left = position[leftID], let right = position[rightID],
                      let split = record["split"], let feature = split["featureIndex"]?.int, feature >= 0,
                      width.map({ feature < $0 }) ?? true else {
                    throw corrupt("an internal node with missing children or split")
                }
                node.left = left
                node.right = right
                node.feature = Int(feature)
                node.leftValues = (split["leftCategoriesOrThreshold"]?.list ?? []).compactMap(\.double)
                node.categorical = (split["numCategories"]?.int ?? -1) >= 0
                guard node.categorical || node.leftValues.count == 1 else { throw corrupt("a continuous split without one threshold") }
            }
            out.append(node)
        }
        nodes = out
    }

    /// The leaf reached by `features`. Steps are bounded by the node count,
    /// so a corrupt cycle cannot loop forever.
    func leaf(_ features: ArraySlice<Double>) -> Node {
        var index = 0
        let base = features.startIndex
        for _ in 0..<nodes.count {
            let node = nodes[index]
            if node.isLeaf { return node }
            let value = node.feature < features.count ? features[base + node.feature] : .nan
            let goesLeft = node.categorical ? node.leftValues.contains(value) : value <= node.leftValues[0]
            index = goesLeft ? node.left : node.right
        }
        return nodes[index]
    }
}
