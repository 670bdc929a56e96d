import ConveyorCore
import Operators

/// Reads a vector_indexer node (`keys`, each feature's `key_<k>_keys` →
/// `key_<k>_values`, `handle_invalid`) into the VectorIndexer kernel. MLeap
/// 0.8 writes no `handle_invalid`: Spark's default, error.
struct VectorIndexer: NodeTransformer {
    let name: String
    let op = "vector_indexer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.VectorIndexer

    init(_ node: BundleNode) throws {
        let io = try node.singleIO()
        let attrs = node.attributes
        let width = try attrs.size("num_features")
        // Spark writes an empty list as `{"type": "list"}`, with no values at all.
        let nodeName = node.name
        let keys = try (attrs["keys"]?.doubles ?? []).map { number in
            guard let key = Int(exactly: number) else {
                throw ConveyorError(.modelCorrupt, "MLeap node '\(nodeName)' (vector_indexer): key \(number) is not an integer")
            }
            return key
        }
        let features = try keys.map { key in
            let values = try attrs.doubles("key_\(key)_keys")
            let indices = try attrs.doubles("key_\(key)_values")
            guard key >= 0, key < width, values.count == indices.count else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(nodeName)' (vector_indexer): feature \(key) has \(values.count) values and "
                        + "\(indices.count) indices for a vector of width \(width)")
            }
            return Operators.VectorIndexer.Feature(
                index: key, categories: Dictionary(zip(values, indices), uniquingKeysWith: { first, _ in first }))
        }
        guard let kernel = Operators.VectorIndexer(input: io.input, output: io.output, width: width, features: features,
                                                   handleInvalid: try attrs.handleInvalid()) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(nodeName)' (vector_indexer): a key is outside the width \(width)")
        }
        self.kernel = kernel
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .vector(width))]
    }

    var inputType: ColumnType { .vector(kernel.width) }
    var details: [Fact] {
        [Fact("width", "\(kernel.width)"),
         Fact("categorical", kernel.features.map { "\($0.index) (\($0.categories.count))" }.joined(separator: ", ")),
         Fact("handle_invalid", kernel.handleInvalid.rawValue)]
    }

    var tracer: (any Traceable)? { kernel }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
}
