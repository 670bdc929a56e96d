/// A faster form of an ensemble whose splits test few distinct conditions,
/// as models over one-hot or other low-cardinality features do (every split
/// on a one-hot column reads `x < 1`): a row evaluates each distinct
/// condition once into the bits of one word, and each tree becomes a table
/// indexed by the outcomes of its own conditions. The bits a tree reads are
/// gathered with one multiply by a constant found when the model is loaded
/// (the "magic" multiply chess engines index their attack tables with), so
/// a tree costs an and, a multiply, a shift and a load, with no chain of
/// dependent loads down the tree and no tree waiting for another.
///
/// The table entry of every combination of outcomes is the leaf the tree's
/// own splits reach, and the sums are made in tree order as in the
/// descent, so the results have the same bits.
struct ConditionTables<Value: EngineValue>: Sendable {
    /// Conditions must fit the bits of one word.
    static var maxConditions: Int { 64 }
    /// A tree reading more conditions than this would need too large a table.
    static var maxTreeConditions: Int { 12 }
    /// All tables together, in values: beyond a few MiB they leave the cache
    /// and descending is faster.
    static var maxEntries: Int { 1 << 19 }

    /// Per condition: the feature it reads, the key at or above which it
    /// holds (the split goes right), and in `missingHolds` whether a
    /// missing value goes right.
    let features: [Int]
    let keys: [Value.Key]
    let missingHolds: UInt64
    let trees: [TableTree]
    let values: [Value]

    var conditionCount: Int { features.count }

    /// nil when the ensemble does not fit: vector leaves, categorical
    /// splits, too many conditions in all or in one tree, or tables too large.
    init?(_ definitions: [TreeDefinition<Value>], rule: SplitRule) {
        guard !definitions.isEmpty, definitions.allSatisfy({ $0.leafWidth == 1 && $0.categorical.isEmpty }) else {
            return nil
        }
        var numbering: [Condition: Int] = [:]
        var features: [Int] = [], keys: [Value.Key] = [], missingHolds: UInt64 = 0
        var trees: [TableTree] = []
        var values: [Value] = []
        var budget = MagicSearch.ensembleBudget
        trees.reserveCapacity(definitions.count)
        for (index, tree) in definitions.enumerated() {
            // The condition each split tests, numbered across the ensemble.
            var nodeCondition = [Int](repeating: -1, count: tree.nodeCount)
            var treeMask: UInt64 = 0
            for node in 0..<tree.nodeCount where tree.left[node] != -1 {
                let condition = Condition(feature: tree.feature[node], defaultLeft: tree.defaultLeft[node],
                                          key: SplitKey.key(tree.threshold[node], rule: rule))
                let number: Int
                if let known = numbering[condition] {
                    number = known
                } else {
                    number = features.count
                    guard number < Self.maxConditions else { return nil }
                    numbering[condition] = number
                    features.append(Int(condition.feature))
                    keys.append(condition.key)
                    if !condition.defaultLeft { missingHolds |= 1 << UInt64(number) }
                }
                nodeCondition[node] = number
                treeMask |= 1 << UInt64(number)
            }
            guard treeMask.nonzeroBitCount <= Self.maxTreeConditions,
                  values.count + (1 << treeMask.nonzeroBitCount) <= Self.maxEntries,
                  let table = Self.table(tree, nodeCondition, mask: treeMask, seed: UInt64(index), budget: &budget),
                  values.count + table.leaves.count <= Self.maxEntries else { return nil }
            trees.append(TableTree(mask: treeMask, magic: table.magic, shift: UInt64(64 - table.bits),
                                   base: values.count, group: tree.group))
            values.append(contentsOf: table.leaves.map { tree.leafValue[$0] })
        }
        self.features = features
        self.keys = keys
        self.missingHolds = missingHolds
        self.trees = trees
        self.values = values
    }

    /// The table of one tree: every combination of its conditions'
    /// outcomes, the leaf (node) it reaches, and a multiplier from
    /// `MagicSearch`; nil once the ensemble's search budget is spent.
    static func table(_ tree: TreeDefinition<Value>, _ nodeCondition: [Int], mask: UInt64,
                      seed: UInt64, budget: inout Int) -> (magic: UInt64, bits: Int, leaves: [Int])? {
        var combinations: [UInt64] = []
        var leaves: [Int32] = []
        combinations.reserveCapacity(1 << mask.nonzeroBitCount)
        leaves.reserveCapacity(1 << mask.nonzeroBitCount)
        var outcomes: UInt64 = 0
        repeat {
            var node = 0
            while tree.left[node] != -1 {
                // Each step counts against the budget too: a deep tree
                // walked for every combination.
                budget -= 1
                guard budget > 0 else { return nil }
                let holds = outcomes >> UInt64(nodeCondition[node]) & 1 == 1
                node = Int(holds ? tree.right[node] : tree.left[node])
            }
            combinations.append(outcomes)
            leaves.append(Int32(node))
            outcomes = (outcomes &- mask) & mask
        } while outcomes != 0
        guard let found = MagicSearch.find(combinations, leaves, conditions: mask.nonzeroBitCount, seed: seed,
                                           budget: &budget) else {
            return nil
        }
        return (found.magic, found.bits, found.slots.map(Int.init))
    }

    struct Condition: Hashable {
        var feature: Int32
        var defaultLeft: Bool
        var key: Value.Key
    }
}

/// One tree as a table: its value is `values[base + slot(conditions)]`,
/// added to `group`.
struct TableTree: Sendable {
    var mask: UInt64
    var magic: UInt64
    var shift: UInt64
    var base: Int
    var group: Int

    /// The table slot of a row's condition word (masking shift: a checked
    /// one tests the count against 64 on every use).
    @inline(__always)
    func slot(_ conditions: UInt64) -> Int {
        Int(truncatingIfNeeded: ((conditions & mask) &* magic) &>> shift)
    }
}
