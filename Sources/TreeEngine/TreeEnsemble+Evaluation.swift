extension TreeEnsemble where Value == Float {
    /// The margins of `rows` rows of a row-major float32 matrix with
    /// `numFeature` columns (NaN is missing) into `out` (`rows × groups`,
    /// row-major). Allocates nothing on the heap for models up to 4,096
    /// features.
    public func margins(_ features: UnsafeBufferPointer<Float>, rows: Int, into out: UnsafeMutableBufferPointer<Float>) {
        evaluate(features, rows: rows, into: out)
    }

    /// Array convenience for `margins(_:rows:into:)`.
    public func margins(_ features: [Float], rows: Int) -> [Float] { evaluate(features, rows: rows) }
}

extension TreeEnsemble where Value == Double {
    /// `margins` in double precision (Spark's trees).
    public func margins(_ features: UnsafeBufferPointer<Double>, rows: Int,
                        into out: UnsafeMutableBufferPointer<Double>) {
        evaluate(features, rows: rows, into: out)
    }

    public func margins(_ features: [Double], rows: Int) -> [Double] { evaluate(features, rows: rows) }
}

extension TreeEnsemble {
    /// Keys held for one block of rows: the block shrinks for wide models
    /// so that it stays in cache.
    static var blockKeys: Int { 8_192 }

    func evaluate(_ features: [Value], rows: Int) -> [Value] {
        var out = [Value](repeating: 0, count: rows * groups)
        features.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { evaluate(input, rows: rows, into: $0) }
        }
        return out
    }

    /// Specialized for each `Value` by the public `margins` above.
    func evaluate(_ features: UnsafeBufferPointer<Value>, rows: Int, into out: UnsafeMutableBufferPointer<Value>) {
        precondition(rows >= 0 && features.count == rows * numFeature && out.count == rows * groups,
                     "margins: buffer sizes do not match rows")
        guard rows > 0, let input = features.baseAddress, let output = out.baseAddress else { return }
        for row in 0..<rows {
            for group in 0..<groups { output[row * groups + group] = baseMargins[group] }
        }
        if let tables {
            tables.add(input, rows: rows, numFeature: numFeature, into: output, groups: groups)
            return
        }
        let keysPerRow = 2 * numFeature
        let blockRows = max(1, min(64, Self.blockKeys / keysPerRow))
        let leafWidth = self.leafWidth
        withUnsafeTemporaryAllocation(of: Value.Key.self, capacity: blockRows * keysPerRow) { scratch in
        trees.withUnsafeBufferPointer { trees in
        splits.withUnsafeBufferPointer { splits in
        leaves.withUnsafeBufferPointer { leaves in
        nodes.withUnsafeBufferPointer { nodes in
        categorySets.withUnsafeBufferPointer { sets in
        categoryWords.withUnsafeBufferPointer { words in
            guard let keys = scratch.baseAddress else { return }
            let layout = Layout<Value>(splits: splits.baseAddress, leaves: leaves.baseAddress, nodes: nodes.baseAddress,
                                       sets: sets.baseAddress, words: words.baseAddress)
            var start = 0
            while start < rows {
                let count = min(blockRows, rows - start)
                for row in 0..<count {
                    SplitKey.fill(keys + row * keysPerRow, from: input + (start + row) * numFeature, width: numFeature)
                }
                let sums = output + start * groups
                if leafWidth > 1 {
                    for row in 0..<count {
                        layout.addVectors(keys + row * keysPerRow, trees, sums + row * groups, width: leafWidth)
                    }
                } else if count < 4 {
                    // Too few rows to descend side by side: four trees do.
                    for row in 0..<count {
                        layout.addRow(keys + row * keysPerRow, trees, sums + row * groups)
                    }
                } else {
                    for tree in trees {
                        if tree.complete {
                            layout.addComplete(tree, keys, rows: count, stride: keysPerRow, sums, groups: groups)
                        } else {
                            layout.addWalked(tree, keys, rows: count, stride: keysPerRow, sums, groups: groups)
                        }
                    }
                }
                start += count
            }
        }}}}}}}
    }
}
