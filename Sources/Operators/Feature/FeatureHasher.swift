import ConveyorCore

/// Spark's FeatureHasher: each input column adds to one slot of a vector of
/// `numFeatures`, found by Murmur3 (`nonNegativeMod`): a numeric column
/// hashes its name and adds its value; a string or boolean column, or a
/// numeric one listed as categorical, hashes "name=value" (Spark's string
/// form of the value) and adds 1. Nulls add nothing; colliding slots sum.
public struct FeatureHasher: Kernel {
    public struct Input: Sendable {
        public let name: String
        public let categorical: Bool

        public init(name: String, categorical: Bool) {
            self.name = name
            self.categorical = categorical
        }
    }

    public let inputs: [Input]
    public let output: String
    public let numFeatures: Int
    public let version: Murmur3.Version

    /// Nil unless numFeatures is positive.
    public init?(inputs: [Input], output: String, numFeatures: Int, version: Murmur3.Version) {
        guard numFeatures > 0 else { return nil }
        self.inputs = inputs
        self.output = output
        self.numFeatures = numFeatures
        self.version = version
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let rows = frame.rowCount
        var out = VectorBlock(width: numFeatures, rows: rows)
        for input in inputs {
            let column = try frame.require(input.name, stage: stage)
            let nameSlot = Murmur3.index(of: input.name, features: numFeatures, version: version)
            for row in 0..<rows where !column.isNull(row) {
                let slot: Int
                let value: Double
                switch column.values {
                case .string(let values):
                    (slot, value) = (index("\(input.name)=\(values[row])"), 1)
                case .bool(let values):
                    (slot, value) = (index("\(input.name)=\(values[row])"), 1)
                case .int(let values):
                    (slot, value) = input.categorical ? (index("\(input.name)=\(values[row])"), 1) : (nameSlot, Double(values[row]))
                case .double(let values):
                    (slot, value) = input.categorical
                        ? (index("\(input.name)=\(SparkStrings.double(values[row]))"), 1) : (nameSlot, values[row])
                default:
                    throw ConveyorError(.invalidInput, "FeatureHasher hashes numbers, strings and booleans, not \(column.type)",
                                        stage: stage, column: input.name)
                }
                out.storage[row * numFeatures + slot] += value
            }
        }
        try frame.put(.vectors(output, out))
    }

    private func index(_ term: String) -> Int { Murmur3.index(of: term, features: numFeatures, version: version) }
}
