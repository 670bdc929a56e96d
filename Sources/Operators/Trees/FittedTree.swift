/// A fitted Spark decision tree as a format reader parses it (Spark's saved
/// node rows, MLeap's `tree.json`): node arrays, children by index, node 0
/// the root, a leaf's children -1. Readers only parse; `TreeModel` checks
/// the structure (through the tree engine) when it is built.
public struct FittedTree: Sendable {
    /// A categorical split: the categories it lists and the side they go
    /// (Spark's `leftCategories` go left; MLeap can say `isLeft: false`).
    public struct Categories: Sendable {
        public var values: [Double]
        public var listedGoLeft: Bool

        public init(values: [Double], listedGoLeft: Bool) {
            self.values = values
            self.listedGoLeft = listedGoLeft
        }
    }

    public var left: [Int32] = []
    public var right: [Int32] = []
    public var feature: [Int32] = []
    /// Continuous splits: a value at most the threshold goes left.
    public var threshold: [Double] = []
    public var categories: [Int: Categories] = [:]
    /// A leaf's prediction (a regression value; a class index in classifiers).
    public var prediction: [Double] = []
    /// A node's impurity statistics: class counts in classifiers, [count,
    /// sum, sum of squares] in regression trees. Leaves always have them;
    /// splits when the format keeps them (Spark does, MLeap does not), for
    /// explanations, which weigh a split's sides by their counts.
    public var stats: [[Double]] = []

    public init() {}

    public var nodeCount: Int { left.count }

    /// Appends a leaf; returns its index.
    @discardableResult
    public mutating func appendLeaf(prediction value: Double, stats leafStats: [Double]) -> Int {
        append(feature: -1, threshold: 0, prediction: value, stats: leafStats)
    }

    /// Appends a split whose children are set later (`left`/`right`);
    /// returns its index.
    @discardableResult
    public mutating func appendSplit(feature index: Int32, threshold value: Double,
                                     categories listed: Categories? = nil, stats splitStats: [Double] = []) -> Int {
        let node = append(feature: index, threshold: value, prediction: 0, stats: splitStats)
        if let listed { categories[node] = listed }
        return node
    }

    private mutating func append(feature index: Int32, threshold value: Double, prediction leafValue: Double,
                                 stats leafStats: [Double]) -> Int {
        left.append(-1)
        right.append(-1)
        feature.append(index)
        threshold.append(value)
        prediction.append(leafValue)
        stats.append(leafStats)
        return left.count - 1
    }

    /// The highest feature a split reads, -1 when the tree is one leaf.
    public var maxFeature: Int {
        var widest: Int32 = -1
        for node in 0..<nodeCount where left[node] != -1 { widest = max(widest, feature[node]) }
        return Int(widest)
    }
}
