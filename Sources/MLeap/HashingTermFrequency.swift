import ConveyorCore

/// Spark's HashingTF (`hashing_term_frequency`): each term adds 1 (or sets
/// 1 when `binary`) at `nonNegativeMod(murmur3(utf8 bytes, 42), numFeatures)`.
/// The output is Spark's sparse vector held dense, `numFeatures` wide.
struct HashingTermFrequency: NodeTransformer {
    let name: String
    let op = "hashing_term_frequency"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let features: Int
    let binary: Bool
    let version: Murmur3.Version

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        features = try attrs.optionalSize("num_features", minimum: 1) ?? (1 << 18)
        binary = try attrs.bool("binary", default: false)
        let versionNumber = attrs["hashUnsafeBytesVersion"]?.int ?? 1
        guard let version = Murmur3.Version(rawValue: versionNumber) else {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (hashing_term_frequency): unknown hashUnsafeBytesVersion \(versionNumber)")
        }
        guard features > 0 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (hashing_term_frequency): num_features is \(features)")
        }
        self.version = version
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(features))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] {
        [Fact("features", "\(features)"), Fact("binary", "\(binary)"),
         Fact("hash", version == .spark2 ? "Spark 2 murmur3 (hashUnsafeBytes)" : "murmur3 (hashUnsafeBytes2)")]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        let (lists, nulls) = try Inputs.lists(frame, inputNames[0], stage: stage)
        var block = VectorBlock(width: features, rows: lists.rowCount)
        for row in 0..<lists.rowCount where nulls?[row] != true {
            let base = row * features
            for term in lists.row(row) {
                let index = base + Murmur3.index(of: term, features: features, version: version)
                block.storage[index] = binary ? 1 : block.storage[index] + 1
            }
        }
        block.markNulls(nulls)
        try frame.put(Column(name: outputs[0].name, type: outputs[0].type, values: .vector(block), nulls: nulls))
    }
}
