import ConveyorCore
import Operators
import Parquet

/// Reads one fitted Spark decision tree from its saved node rows (id,
/// prediction, impurityStats, leftChild, rightChild, split{featureIndex,
/// leftCategoriesOrThreshold, numCategories}). The rows are untrusted:
/// children must exist, every node must be reached from the root exactly
/// once (no cycles, no shared subtrees) and splits must read features
/// inside the vector, or the tree is refused at load.
extension FittedTree {
    init(sparkRecords records: [ParquetValue], width: Int?, what: String) throws {
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
        self.init()
        for index in order {
            let record = records[index]
            guard let prediction = record["prediction"]?.double, let leftID = record["leftChild"]?.int,
                  let rightID = record["rightChild"]?.int else { throw corrupt("a tree node lacks prediction or children") }
            let stats = (record["impurityStats"]?.list ?? []).compactMap(\.double)
            guard leftID >= 0 || rightID >= 0 else {
                appendLeaf(prediction: prediction, stats: stats)
                continue
            }
            guard let left = position[leftID], let right = position[rightID],
                  let split = record["split"], let feature = split["featureIndex"]?.int, feature >= 0,
                  feature < Int64(width ?? Int(Int32.max)), feature <= Int64(Int32.max) else {
                throw corrupt("an internal node with missing children or split")
            }
            let values = (split["leftCategoriesOrThreshold"]?.list ?? []).compactMap(\.double)
            let node: Int
            if let numCategories = split["numCategories"]?.int, numCategories >= 0 {
                node = appendSplit(feature: Int32(feature), threshold: 0,
                                   categories: try Self.sparkCategories(values, numCategories, corrupt), stats: stats)
            } else {
                guard values.count == 1 else { throw corrupt("a continuous split without one threshold") }
                node = appendSplit(feature: Int32(feature), threshold: values[0], stats: stats)
            }
            self.left[node] = Int32(left)
            self.right[node] = Int32(right)
        }
        try checkReachedOnce(corrupt)
    }

    /// Most categories a saved categorical split may declare (Spark's maxBins
    /// bounds them; real models stay in the hundreds).
    static let maxSparkCategories = 1 << 16

    /// Spark's `CategoricalSplit` keeps the smaller side: the saved left
    /// categories when they are at most half of `numCategories`, else their
    /// complement in 0..<numCategories as the categories going right. A value
    /// outside the categories (a fraction, a negative, one past the count) goes
    /// right in the first case and left in the second, so the side kept decides.
    static func sparkCategories(_ left: [Double], _ numCategories: Int64,
                                _ corrupt: (String) -> ConveyorError) throws -> Categories {
        guard numCategories <= Int64(maxSparkCategories) else {
            throw corrupt("a categorical split declares \(numCategories) categories (limit \(maxSparkCategories))")
        }
        let count = Int(numCategories)
        guard left.count <= count / 2 else {
            let listed = Set(left)
            return Categories(values: (0..<count).map(Double.init).filter { !listed.contains($0) }, listedGoLeft: false)
        }
        return Categories(values: left, listedGoLeft: true)
    }

    /// Walks from the root without recursion: a node reached twice is a
    /// cycle or a shared subtree, one never reached is a stray record.
    private func checkReachedOnce(_ corrupt: (String) -> ConveyorError) throws {
        var seen = [Bool](repeating: false, count: nodeCount)
        var pending = [0]
        var reached = 0
        while let index = pending.popLast() {
            guard !seen[index] else { throw corrupt("tree node \(index) is reached twice (a cycle or shared subtree)") }
            seen[index] = true
            reached += 1
            if left[index] != -1 { pending += [Int(right[index]), Int(left[index])] }
        }
        guard reached == nodeCount else {
            throw corrupt("\(nodeCount - reached) tree nodes are not reachable from the root")
        }
    }
}
