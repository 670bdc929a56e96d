/// One regression tree as a format reader hands it to the engine: parallel
/// node arrays, children by index, node 0 the root. A node is a leaf when
/// its left child is -1. A numeric split sends a row left when its value is
/// below the threshold (or at most the threshold, by the ensemble's
/// `SplitRule`), and a missing value (NaN) the default way.
public struct TreeDefinition<Value: EngineValue>: Sendable, Equatable {
    public var left: [Int32]
    public var right: [Int32]
    public var feature: [Int32]
    public var threshold: [Value]
    public var defaultLeft: [Bool]
    /// What a leaf adds to the outputs from `group` on: `leafWidth` values
    /// per node, node after node (ignored on splits).
    public var leafValue: [Value]
    public var leafWidth: Int
    /// The first output (class or target) the tree adds to.
    public var group: Int
    /// Splits on categories instead of a threshold, by node.
    public var categorical: [Int: CategorySplit]

    public init(left: [Int32], right: [Int32], feature: [Int32], threshold: [Value], defaultLeft: [Bool],
                leafValue: [Value], leafWidth: Int = 1, group: Int, categorical: [Int: CategorySplit] = [:]) {
        self.left = left
        self.right = right
        self.feature = feature
        self.threshold = threshold
        self.defaultLeft = defaultLeft
        self.leafValue = leafValue
        self.leafWidth = leafWidth
        self.group = group
        self.categorical = categorical
    }

    public var nodeCount: Int { left.count }

    /// Checks what the engine relies on: arrays of one length, children in
    /// range, every node reached once from the root (no cycles), features
    /// below `numFeature`, outputs inside `groups`. Returns the depth (edges
    /// on the longest path).
    func validatedDepth(numFeature: Int, groups: Int, leafWidth: Int, tree: Int) throws(TreeEngineError) -> Int {
        let count = left.count
        let (values, overflow) = count.multipliedReportingOverflow(by: leafWidth)
        guard count >= 1, right.count == count, feature.count == count, threshold.count == count,
              defaultLeft.count == count, !overflow, leafValue.count == values, self.leafWidth == leafWidth else {
            throw TreeEngineError("tree \(tree): node arrays differ in length")
        }
        guard group >= 0, group <= groups - leafWidth else {
            throw TreeEngineError("tree \(tree): outputs \(group)..<\(group + leafWidth) are not below \(groups)")
        }
        for (node, split) in categorical {
            guard node >= 0, node < count, left[node] != -1 else {
                throw TreeEngineError("tree \(tree): a categorical split on node \(node), which is not a split")
            }
            guard split.categories.allSatisfy({ $0 >= 0 && $0 < CategorySplit.maxCategory }) else {
                throw TreeEngineError(
                    "tree \(tree), node \(node): categories must be 0..<\(CategorySplit.maxCategory)")
            }
        }
        var reached = [Bool](repeating: false, count: count)
        var pending: [(node: Int, depth: Int)] = [(0, 0)]
        reached[0] = true
        var depth = 0
        while let (node, level) = pending.popLast() {
            depth = max(depth, level)
            guard left[node] != -1 else { continue }
            guard categorical[node] != nil || !threshold[node].isNaN else {
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

/// How a numeric split compares a row's value with its threshold.
public enum SplitRule: Sendable {
    /// Left when `value < threshold` (XGBoost).
    case lessThan
    /// Left when `value <= threshold` (Spark, MLeap).
    case lessOrEqual
}

/// A split on categories: a row goes to the `listedGoRight` side when its
/// value is one of `categories`, to the other side when it is any other
/// number (negative, fractional, too large), and the node's default way
/// when it is missing. With `truncatesValues` a fraction in range counts as
/// the category below it (XGBoost casts to an integer); otherwise only
/// whole numbers are categories (Spark compares doubles).
public struct CategorySplit: Sendable, Equatable {
    /// Categories are indices below 2^24 (XGBoost's limit); this bounds the
    /// bit set each split keeps.
    public static let maxCategory = 1 << 24
    /// The bit sets of all categorical splits of an ensemble together.
    public static let maxBitSetBytes = 64 << 20

    public var categories: [Int]
    public var listedGoRight: Bool
    public var truncatesValues: Bool

    public init(categories: [Int], listedGoRight: Bool, truncatesValues: Bool = false) {
        self.categories = categories
        self.listedGoRight = listedGoRight
        self.truncatesValues = truncatesValues
    }
}

/// A tree set the engine cannot run; the caller falls back or refuses.
public struct TreeEngineError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
