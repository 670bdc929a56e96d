import ConveyorCore

/// Spark's HashingTF: each term adds 1 (or sets 1 when `binary`) at
/// `nonNegativeMod(murmur3(utf8 bytes, 42), numFeatures)`, with Spark 2's
/// or Spark 3's murmur3 (see `Murmur3`). The output is Spark's sparse
/// vector held dense, `features` wide.
public struct HashingTF: Kernel {
    public let input: String
    public let output: String
    public let features: Int
    public let binary: Bool
    public let version: Murmur3.Version
    public let nullRows: NullRows

    /// `features` is at least 1 (the readers refuse anything else).
    public init(input: String, output: String, features: Int, binary: Bool, version: Murmur3.Version,
                nullRows: NullRows) {
        precondition(features >= 1)
        self.input = input
        self.output = output
        self.features = features
        self.binary = binary
        self.version = version
        self.nullRows = nullRows
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, input, nullRows: nullRows, stage: stage)
        var block = VectorBlock(width: features, rows: lists.rowCount)
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let base = row * features
            for term in lists.row(row) {
                let index = base + Murmur3.index(of: term, features: features, version: version)
                block.storage[index] = binary ? 1 : block.storage[index] + 1
            }
        }
        block.markNulls(nulls)
        try frame.put(Column(name: output, type: .vector(features), values: .vector(block), nulls: nulls))
    }
}
