import ConveyorCore

/// Spark's Binarizer, one or many columns: 1 where the value is above the
/// column's threshold, else 0; element-wise on a vector. As in Spark, a
/// vector under a negative threshold is built as "0 where value ≤ threshold,
/// else 1", so NaN gives 1 there and 0 everywhere else. A null stays null.
public struct Binarizer: Kernel {
    public let inputs: [String]
    public let outputs: [String]
    public let thresholds: [Double]

    public init(inputs: [String], outputs: [String], thresholds: [Double]) {
        precondition(inputs.count == thresholds.count && outputs.count == thresholds.count)
        self.inputs = inputs
        self.outputs = outputs
        self.thresholds = thresholds
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var results: [Column] = []
        for index in inputs.indices {
            let column = try frame.require(inputs[index], stage: stage)
            let threshold = thresholds[index]
            if case .vector(var block) = column.values {
                block.storage.withUnsafeMutableBufferPointer { x in
                    if threshold >= 0 {
                        for i in 0..<x.count { x[i] = x[i] > threshold ? 1 : 0 }
                    } else {
                        for i in 0..<x.count { x[i] = x[i] <= threshold ? 0 : 1 }
                    }
                }
                results.append(Column(name: outputs[index], type: .vector(block.width), values: .vector(block),
                                      nulls: column.nulls))
            } else {
                var values = try column.scalarDoubles(stage: stage)
                for i in 0..<values.count { values[i] = values[i] > threshold ? 1 : 0 }
                results.append(.doubles(outputs[index], values, nulls: column.nulls))
            }
        }
        for column in results { try frame.put(column) }
    }
}
