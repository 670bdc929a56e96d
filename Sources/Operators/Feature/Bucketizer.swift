import ConveyorCore

/// Spark's Bucketizer (also what QuantileDiscretizer fits), one or many
/// columns: the index of the split interval [s_i, s_i+1) holding the value,
/// the last interval closed. Splits compare as Java's `Arrays.binarySearch`
/// does (−0.0 below +0.0). A value outside the splits is always an error.
/// NaN: error, skip or keep (an extra last bucket); a null gives a null
/// bucket. Under skip, as in Spark, rows with a null or NaN in any input
/// column are dropped first.
public struct Bucketizer: Kernel {
    public let inputs: [String]
    public let outputs: [String]
    /// Per column: strictly increasing split points, at least two.
    public let splits: [[Double]]
    public let handleInvalid: HandleInvalid

    public init(inputs: [String], outputs: [String], splits: [[Double]], handleInvalid: HandleInvalid) {
        precondition(inputs.count == splits.count && outputs.count == splits.count)
        precondition(splits.allSatisfy { $0.count >= 2 })
        self.inputs = inputs
        self.outputs = outputs
        self.splits = splits
        self.handleInvalid = handleInvalid
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let columns = try inputs.map { try Inputs.scalars(frame, $0, stage: stage) }
        var filter = RowFilter(rows: frame.rowCount)
        if handleInvalid == .skip {
            for (values, _) in columns {
                // Nulls hold NaN.
                for row in 0..<values.count where values[row].isNaN { filter.drop(row) }
            }
        }
        var results: [Column] = []
        for index in inputs.indices {
            let (values, nulls) = columns[index]
            let cuts = splits[index]
            var out = [Double](repeating: 0, count: values.count)
            for row in 0..<values.count where nulls?[row] != true && !filter.isDropped(row) {
                let value = values[row]
                if value.isNaN {
                    guard handleInvalid == .keep else {
                        throw invalidRow("missing or NaN value in column '\(inputs[index])' (bucketizer handle_invalid=error)",
                                         frame, row: row, column: inputs[index], stage: stage)
                    }
                    out[row] = Double(cuts.count - 1)
                    continue
                }
                guard let bucket = Self.bucket(value, cuts) else {
                    throw invalidRow("value \(value) is outside the bucketizer bounds [\(cuts[0]), \(cuts[cuts.count - 1])]",
                                     frame, row: row, column: inputs[index], stage: stage)
                }
                out[row] = Double(bucket)
            }
            results.append(.doubles(outputs[index], out, nulls: nulls))
        }
        for column in results { try frame.put(column) }
        filter.apply(to: &frame)
    }

    /// Spark's `binarySearchForBuckets` for a non-NaN value; nil outside the splits.
    static func bucket(_ value: Double, _ splits: [Double]) -> Int? {
        let last = splits.count - 1
        if value == splits[last] { return last - 1 }
        // Total order puts −0.0 below +0.0, as Java's Double.compare does.
        guard splits[0].isTotallyOrdered(belowOrEqualTo: value), !splits[last].isTotallyOrdered(belowOrEqualTo: value) else {
            return nil
        }
        var low = 0
        var high = last
        while high - low > 1 {
            let middle = (low + high) / 2
            if splits[middle].isTotallyOrdered(belowOrEqualTo: value) { low = middle } else { high = middle }
        }
        return low
    }
}
