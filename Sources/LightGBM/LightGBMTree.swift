import ConveyorCore
import TreeEngine

/// One tree as LightGBM's `Tree(const char*)` reads it, checked: internal
/// nodes 0..<numLeaves-1, a child ≥ 0 is an internal node and a child < 0 is
/// leaf `~child`. Leaf values already include the shrinkage.
struct LightGBMTree: Sendable {
    /// decision_type bits (tree.h): 1 categorical, 2 default left, bits 2–3 the missing type.
    enum MissingType: Int { case none = 0, zero = 1, nan = 2 }

    var numLeaves: Int
    var leftChild: [Int32] = []
    var rightChild: [Int32] = []
    var splitFeature: [Int32] = []
    var threshold: [Double] = []
    var decisionType: [UInt8] = []
    var leafValue: [Double]
    /// Per categorical node: the categories that go left (from `cat_threshold`).
    var categories: [Int: [Int]] = [:]
    var linear: LinearLeaves?
    /// The training rows that reached each internal node and each leaf
    /// (`internal_count`, `leaf_count`): what LightGBM's TreeSHAP
    /// (`pred_contrib`) weighs a split's two sides by. Empty when the
    /// model has none; prediction never reads them.
    var internalCount: [Double] = []
    var leafCount: [Double] = []

    /// A leaf's linear model: `const + Σ coeff·x`, or the leaf value when
    /// one of its features is NaN.
    struct LinearLeaves: Sendable {
        var constant: [Double]
        /// Per leaf, its range in `features` / `coefficients`.
        var offsets: [Int]
        var features: [Int32]
        var coefficients: [Double]
    }

    func isCategorical(_ node: Int) -> Bool { decisionType[node] & 1 != 0 }
    func defaultLeft(_ node: Int) -> Bool { decisionType[node] & 2 != 0 }
    func missingType(_ node: Int) -> MissingType { MissingType(rawValue: Int(decisionType[node] >> 2) & 3) ?? .none }

    init(_ fields: TreeFields, numFeature: Int) throws(ConveyorError) {
        numLeaves = try fields.integer("num_leaves", in: 1...LightGBMLimits.maxLeaves, limitName: "maxLeaves")
        let splits = numLeaves - 1
        let numCat = try fields.integer("num_cat", in: 0...max(0, splits))
        leafValue = try fields.doubles("leaf_value", count: numLeaves)
        let isLinear = try fields.optionalInteger("is_linear").map { $0 != 0 } ?? false
        if numLeaves > 1 {
            leftChild = try fields.int32s("left_child", count: splits)
            rightChild = try fields.int32s("right_child", count: splits)
            splitFeature = try fields.int32s("split_feature", count: splits)
            threshold = try fields.doubles("threshold", count: splits)
            decisionType = [UInt8](repeating: 0, count: splits)
            if fields.has("decision_type") {
                for (node, value) in try fields.int32s("decision_type", count: splits).enumerated() {
                    guard value >= 0, value < 16, value >> 2 != 3 else {
                        throw fields.fail("node \(node): decision_type \(value) is not one LightGBM writes")
                    }
                    decisionType[node] = UInt8(value)
                }
            }
            try checkNodes(fields, numFeature: numFeature)
            if numCat > 0 { try readCategories(fields, numCat: numCat) }
            for node in 0..<splits where isCategorical(node) != (categories[node] != nil) {
                throw fields.fail("node \(node): a categorical split without categories")
            }
        }
        if isLinear { linear = try Self.linearLeaves(fields, numLeaves: numLeaves, numFeature: numFeature) }
        if fields.has("leaf_count"), numLeaves == 1 || fields.has("internal_count") {
            leafCount = try fields.doubles("leaf_count", count: numLeaves)
            internalCount = numLeaves > 1 ? try fields.doubles("internal_count", count: splits) : []
        }
    }

    /// Node counts in the engine's layout (internal node `i` at `i`, leaf
    /// `j` at `numLeaves - 1 + j`), or none when the model has no counts.
    var cover: [Double] {
        leafCount.isEmpty ? [] : internalCount + leafCount
    }

    /// Edges on the longest root-to-leaf path, walking each node once (a
    /// node reached again, which the engine refuses, is not followed).
    func depth() -> Int {
        guard numLeaves > 1 else { return 0 }
        var seen = [Bool](repeating: false, count: numLeaves - 1)
        var pending: [(node: Int, level: Int)] = [(0, 0)]
        seen[0] = true
        var depth = 0
        while let (node, level) = pending.popLast() {
            depth = max(depth, level + 1)
            for child in [leftChild[node], rightChild[node]] where child >= 0 && !seen[Int(child)] {
                seen[Int(child)] = true
                pending.append((Int(child), level + 1))
            }
        }
        return depth
    }

    private func checkNodes(_ fields: TreeFields, numFeature: Int) throws(ConveyorError) {
        let splits = numLeaves - 1
        for node in 0..<splits {
            for child in [leftChild[node], rightChild[node]] {
                guard child >= 0 ? Int(child) < splits : Int(~child) < numLeaves else {
                    throw fields.fail("node \(node): child \(child) is out of range for \(numLeaves) leaves")
                }
            }
            guard splitFeature[node] >= 0, Int(splitFeature[node]) < numFeature else {
                throw fields.fail("node \(node): split_feature \(splitFeature[node]) is not below \(numFeature)")
            }
            guard isCategorical(node) || !threshold[node].isNaN else {
                throw fields.fail("node \(node): a NaN threshold")
            }
        }
    }

    /// `cat_boundaries` (num_cat + 1 offsets) cut `cat_threshold` into one
    /// 32-bit-word bit set per categorical split; a split's threshold is the
    /// index of its set.
    private mutating func readCategories(_ fields: TreeFields, numCat: Int) throws(ConveyorError) {
        let boundaries = try fields.ints("cat_boundaries", count: numCat + 1)
        for (index, start) in boundaries.dropLast().enumerated() {
            let end = boundaries[index + 1]
            guard start >= 0, start <= end else {
                throw fields.fail("cat_boundaries \(start), \(end) of set \(index) are out of order")
            }
            // Categories are below the engine's bound (2^24): at most 2^19 words a set.
            guard end - start <= CategorySplit.maxCategory / 32 else {
                throw fields.fail("categorical set \(index) has \(end - start) words, more than \(CategorySplit.maxCategory / 32)")
            }
        }
        guard let last = boundaries.last, last <= fields.tokenCount("cat_threshold") else {
            throw fields.fail("cat_boundaries end at \(boundaries.last ?? -1), past the cat_threshold words")
        }
        let words = try fields.ints("cat_threshold", count: last)
        for node in 0..<(numLeaves - 1) where isCategorical(node) {
            let value = threshold[node]
            guard value >= 0, value < Double(numCat), value.rounded(.towardZero) == value else {
                throw fields.fail("node \(node): categorical set \(value) is not one of 0..<\(numCat)")
            }
            let set = Int(value)
            var listed: [Int] = []
            for word in boundaries[set]..<boundaries[set + 1] {
                guard let bits = UInt32(exactly: words[word]) else {
                    throw fields.fail("cat_threshold word \(words[word]) is not a 32-bit value")
                }
                for bit in 0..<32 where (bits >> UInt32(bit)) & 1 == 1 {
                    listed.append((word - boundaries[set]) * 32 + bit)
                }
            }
            categories[node] = listed
        }
    }

    private static func linearLeaves(_ fields: TreeFields, numLeaves: Int,
                                     numFeature: Int) throws(ConveyorError) -> LinearLeaves {
        let constant = fields.has("leaf_const") ? try fields.doubles("leaf_const", count: numLeaves)
            : [Double](repeating: 0, count: numLeaves)
        let counts = fields.has("num_features") ? try fields.ints("num_features", count: numLeaves)
            : [Int](repeating: 0, count: numLeaves)
        var offsets = [0]
        offsets.reserveCapacity(numLeaves + 1)
        for count in counts {
            let (total, overflow) = offsets[offsets.count - 1].addingReportingOverflow(count)
            guard count >= 0, !overflow, total <= fields.tokenCount("leaf_features") else {
                throw fields.fail("num_features \(count) is negative or more than leaf_features holds")
            }
            offsets.append(total)
        }
        let total = offsets[numLeaves]
        let features = total > 0 ? try fields.int32s("leaf_features", count: total) : []
        let coefficients = total > 0 ? try fields.doubles("leaf_coeff", count: total) : []
        for feature in features where feature < 0 || Int(feature) >= numFeature {
            throw fields.fail("leaf_features: feature \(feature) is not below \(numFeature)")
        }
        return LinearLeaves(constant: constant, offsets: offsets, features: features, coefficients: coefficients)
    }
}
