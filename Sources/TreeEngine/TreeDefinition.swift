/// One regression tree as a format reader hands it to the engine: parallel
/// node arrays, children by index, node 0 the root. A node is a leaf when
/// its left child is -1. A split sends a row left when its value is below
/// the threshold (`value < threshold`, in float32, as XGBoost tests it) and
/// a missing value (NaN) the default way.
public struct TreeDefinition: Sendable, Equatable {
    public var left: [Int32]
    public var right: [Int32]
    public var feature: [Int32]
    public var threshold: [Float]
    public var defaultLeft: [Bool]
    /// The value a leaf adds to its output group (ignored on splits).
    public var leafValue: [Float]
    /// The output (class or target) the tree adds to.
    public var group: Int

    public init(left: [Int32], right: [Int32], feature: [Int32], threshold: [Float], defaultLeft: [Bool],
                leafValue: [Float], group: Int) {
        self.left = left
        self.right = right
        self.feature = feature
        self.threshold = threshold
        self.defaultLeft = defaultLeft
        self.leafValue = leafValue
        self.group = group
    }

    public var nodeCount: Int { left.count }

    /// Checks what the engine relies on: arrays of one length, children in
    /// range, every node reached once from the root (no cycles), features
    /// below `numFeature`. Returns the depth (edges on the longest path).
    func validatedDepth(numFeature: Int, groups: Int, tree: Int) throws(TreeEngineError) -> Int {
        let count = left.count
        guard count >= 1, right.count == count, feature.count == count, threshold.count == count,
              defaultLeft.count == count, leafValue.count == count else {
            throw TreeEngineError("tree \(tree): node arrays differ in length")
        }
        guard group >= 0, group < groups else {
            throw TreeEngineError("tree \(tree): output group \(group) is not below \(groups)")
        }
        var reached = [Bool](repeating: false, count: count)
        var pending: [(node: Int, depth: Int)] = [(0, 0)]
        reached[0] = true
        var depth = 0
        while let (node, level) = pending.popLast() {
            depth = max(depth, level)
            guard left[node] != -1 else { continue }
            guard !threshold[node].isNaN else {
                throw TreeEngineError("tree \(tree), node \(node): a NaN threshold")
            }
            guard feature[node] >= 0, Int(feature[node]) < numFeature else {
                throw TreeEngineError("tree \(tree), node \(node): feature \(feature[node]) is not below \(numFeature)")
            }
            for child in [left[node], right[node]] {
                guard child > 0, Int(child) < count, !reached[Int(child)] else {
                    throw TreeEngineError("tree \(tree), node \(node): child \(child) is out of range or reached twice")
                }
                reached[Int(child)] = true
                pending.append((Int(child), level + 1))
            }
        }
        return depth
    }
}

/// A tree set the engine cannot run; the caller falls back or refuses.
public struct TreeEngineError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
