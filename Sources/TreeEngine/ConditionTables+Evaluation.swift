extension ConditionTables {
    /// Adds every tree's value to `sums` (`rows × groups`, holding the base
    /// margins). Rows are taken in blocks whose condition words stay in
    /// registers or L1; within a block tree after tree, so the rows' sums
    /// are independent of each other and each still sums in tree order.
    func add(_ input: UnsafePointer<Value>, rows: Int, numFeature: Int, into sums: UnsafeMutablePointer<Value>,
             groups: Int) {
        features.withUnsafeBufferPointer { features in
        keys.withUnsafeBufferPointer { keys in
        trees.withUnsafeBufferPointer { trees in
        values.withUnsafeBufferPointer { values in
            guard let features = features.baseAddress, let keys = keys.baseAddress,
                  let values = values.baseAddress else { return }
            let conditions = self.conditionCount, missingHolds = self.missingHolds
            if rows < 4 {
                for row in 0..<rows {
                    let word = Self.word(input + row * numFeature, features, keys, conditions, missingHolds)
                    let out = sums + row * groups
                    for tree in trees { out[tree.group] += values[tree.base &+ tree.slot(word)] }
                }
                return
            }
            let block = 64
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: block) { words in
                guard let words = words.baseAddress else { return }
                var start = 0
                while start < rows {
                    let count = min(block, rows - start)
                    for row in 0..<count {
                        words[row] = Self.word(input + (start + row) * numFeature, features, keys, conditions,
                                               missingHolds)
                    }
                    let blockSums = sums + start * groups
                    for tree in trees {
                        let out = blockSums + tree.group
                        let table = values + tree.base
                        for row in 0..<count { out[row &* groups] += table[tree.slot(words[row])] }
                    }
                    start += count
                }
            }
        }}}}
    }

    /// The outcome of every condition for one row, one bit each. (Masking
    /// shifts: the checked ones test the count against 64 on every use.)
    @inline(__always)
    static func word(_ row: UnsafePointer<Value>, _ features: UnsafePointer<Int>, _ keys: UnsafePointer<Value.Key>,
                     _ conditions: Int, _ missingHolds: UInt64) -> UInt64 {
        var word: UInt64 = 0
        for condition in 0..<conditions {
            let value = row[features[condition]]
            let holds: UInt64 = value.isNaN ? missingHolds &>> UInt64(condition) & 1
                : (Value.key(value) >= keys[condition] ? 1 : 0)
            word |= holds &<< UInt64(condition)
        }
        return word
    }
}
