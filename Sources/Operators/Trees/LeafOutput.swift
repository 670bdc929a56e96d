import ConveyorCore
import TreeEngine

/// Spark's `leafCol` on tree models: the index of the leaf each row reaches
/// in each tree, counted among the tree's leaves from left to right
/// (`Node.predictLeaf`). A decision tree writes a double, an ensemble a
/// vector with one index per tree; null features give null.
public struct LeafOutput: Sendable {
    public struct Column: Sendable {
        public var name: String
        /// Forests and GBTs: a vector; a decision tree: a double.
        public var vector: Bool

        public init(name: String, vector: Bool) {
            self.name = name
            self.vector = vector
        }
    }

    public let column: Column
    let trees: [TreeDefinition<Double>]
    /// Per tree, each node's leaf rank (`TreeDefinition.leafRanks`).
    let ranks: [[Int]]

    init(column: Column, trees: [TreeDefinition<Double>]) {
        self.column = column
        self.trees = trees
        ranks = trees.map { $0.leafRanks() }
    }

    public var type: ColumnType { column.vector ? .vector(trees.count) : .double }

    /// The leaf indices of `rows` feature vectors, walked as the engine
    /// decides Spark's splits.
    func put(_ block: VectorBlock, nulls: [Bool]?, into frame: inout Frame) throws {
        let width = trees.count
        var indices = VectorBlock(width: width, rows: block.rowCount)
        block.storage.withUnsafeBufferPointer { x in
            for row in 0..<block.rowCount where nulls?[row] != true {
                let features = UnsafeBufferPointer(rebasing: x[(row * block.width)..<((row + 1) * block.width)])
                for (index, tree) in trees.enumerated() {
                    indices.storage[row * width + index] = Double(ranks[index][tree.leaf(for: features, rule: .lessOrEqual)])
                }
            }
        }
        if column.vector {
            try frame.put(ConveyorCore.Column(name: column.name, type: .vector(width), values: .vector(indices), nulls: nulls))
        } else {
            try frame.put(.doubles(column.name, indices.storage, nulls: nulls))
        }
    }
}
