import ConveyorCore
import Operators

/// The hash, for callers that reach it through this module.
typealias Murmur3 = Operators.Murmur3

/// Reads a hashing_term_frequency node (`num_features`, `binary`, and
/// `hashUnsafeBytesVersion`: 1 or absent is Spark 2's murmur3, 2 Spark 3's)
/// into the HashingTF kernel.
struct HashingTermFrequency: NodeTransformer {
    let name: String
    let op = "hashing_term_frequency"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: HashingTF

    init(_ node: BundleNode) throws {
        let io = try node.textIO()
        let attrs = node.attributes
        let features = try attrs.optionalSize("num_features", minimum: 1) ?? (1 << 18)
        let versionNumber = attrs["hashUnsafeBytesVersion"]?.int ?? 1
        guard let version = Murmur3.Version(rawValue: versionNumber) else {
            throw ConveyorError(
                .unsupportedModel, "MLeap node '\(node.name)' (hashing_term_frequency): unknown hashUnsafeBytesVersion \(versionNumber)")
        }
        guard features > 0 else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (hashing_term_frequency): num_features is \(features)")
        }
        kernel = HashingTF(input: io.input, output: io.output, features: features,
                           binary: try attrs.bool("binary", default: false), version: version, nullRows: .propagate)
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(features))]
    }

    var inputType: ColumnType { .stringList }

    var details: [Fact] {
        [Fact("features", "\(kernel.features)"), Fact("binary", "\(kernel.binary)"),
         Fact("hash", kernel.version == .spark2 ? "Spark 2 murmur3 (hashUnsafeBytes)" : "murmur3 (hashUnsafeBytes2)")]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
