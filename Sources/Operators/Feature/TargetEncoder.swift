import ConveyorCore

/// Spark 4's TargetEncoderModel: each input column's category indices
/// replaced by the encoding fitted for them. A null takes the null
/// category's encoding when training saw nulls; a value that is no
/// category (unseen, NaN, fractional) and a null training did not see take
/// the unseen encoding under `keep` and are refused under `error`.
public struct TargetEncoder: Kernel, ColumnPairs {
    /// One column's fitted encodings.
    public struct Encoding: Sendable {
        public var categories: [Double: Double]
        public var null: Double?
        public var unseen: Double

        public init(categories: [Double: Double], null: Double?, unseen: Double) {
            self.categories = categories
            self.null = null
            self.unseen = unseen
        }
    }

    public let inputs: [String]
    public let outputs: [String]
    public let encodings: [Encoding]
    /// `keep` or `error` (Spark has no `skip` for this class).
    public let handleInvalid: HandleInvalid

    public init?(inputs: [String], outputs: [String], encodings: [Encoding], handleInvalid: HandleInvalid) {
        guard !inputs.isEmpty, inputs.count == outputs.count, inputs.count == encodings.count,
              handleInvalid != .skip else { return nil }
        self.inputs = inputs
        self.outputs = outputs
        self.encodings = encodings
        self.handleInvalid = handleInvalid
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        for (index, encoding) in encodings.enumerated() {
            let (values, nulls) = try Inputs.scalars(frame, inputs[index], stage: stage)
            var out = [Double](repeating: 0, count: values.count)
            for row in values.indices {
                if nulls?[row] == true {
                    if let code = encoding.null ?? (handleInvalid == .keep ? encoding.unseen : nil) {
                        out[row] = code
                        continue
                    }
                    throw invalidRow("unseen null value (handleInvalid=error)", frame, row: row, column: inputs[index],
                                     stage: stage)
                }
                // Spark compares with `===`: -0.0 equals 0.0 (so do Swift's keys); NaN is never a category.
                if let code = encoding.categories[values[row]] {
                    out[row] = code
                } else if handleInvalid == .keep {
                    out[row] = encoding.unseen
                } else {
                    throw invalidRow("unseen value \(values[row]) (handleInvalid=error)", frame, row: row,
                                     column: inputs[index], stage: stage)
                }
            }
            try frame.put(.doubles(outputs[index], out))
        }
    }
}
