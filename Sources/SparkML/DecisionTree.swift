import ConveyorCore
import Parquet

/// One fitted Spark decision tree, flattened for prediction. Nodes are
/// saved as rows (id, prediction, impurityStats, leftChild, rightChild,
/// split{featureIndex, leftCategoriesOrThreshold, numCategories}). The rows
/// are untrusted: children must exist, every node must be reached from the
/// root exactly once (no cycles, no shared subtrees) and splits must read
/// features inside the vector, or the tree is refused at load.
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
        var ids: [Int64] = []
        ids.reserveCapacity(records.count)
        for record in records {
            guard let id = record["id"]?.int else { throw corrupt("a tree node without an id") }
            ids.append(id)
        }
        // Root first, then ids map to positions.
        let order = records.indices.sorted { ids[$0] < ids[$1] }
        var position: [Int64: Int] = [:]
        for (slot, index) in order.enumerated() { position[ids[index]] = slot }
        guard position.count == records.count, position[0] == 0 else {
            throw corrupt("tree node ids are not unique or lack the root 0")
        }
        var out: [Node] = []
        out.reserveCapacity(records.count)
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
                node.feature = Int(truncatingIfNeeded: feature)  // 0 <= feature < width, checked above
                node.leftValues = (split["leftCategoriesOrThreshold"]?.list ?? []).compactMap(\.double)
                node.categorical = (split["numCategories"]?.int ?? -1) >= 0
                guard node.categorical || node.leftValues.count == 1 else { throw corrupt("a continuous split without one threshold") }
            }
            out.append(node)
        }
        try Self.checkReachedOnce(out, corrupt)
        nodes = out
    }

    /// Walks from the root without recursion: a node reached twice is a
    /// cycle or a shared subtree, one never reached is a stray record.
    private static func checkReachedOnce(_ nodes: [Node], _ corrupt: (String) -> ConveyorError) throws {
        var seen = [Bool](repeating: false, count: nodes.count)
        var pending = [0]
        var reached = 0
        while let index = pending.popLast() {
            guard !seen[index] else { throw corrupt("tree node \(index) is reached twice (a cycle or shared subtree)") }
            seen[index] = true
            reached += 1
            let node = nodes[index]
            if !node.isLeaf { pending += [node.right, node.left] }
        }
        guard reached == nodes.count else {
            throw corrupt("\(nodes.count - reached) tree nodes are not reachable from the root")
        }
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
