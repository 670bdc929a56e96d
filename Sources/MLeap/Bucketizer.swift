import ConveyorCore
import Operators

/// Reads a bucketizer node (`splits`, ±Infinity written as null, and
/// `handle_invalid`) into the Bucketizer kernel.
struct Bucketizer: NodeTransformer {
    let name: String
    let op = "bucketizer"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.Bucketizer

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        guard attrs.has("splits") else {
            throw ConveyorError(
                .unsupportedModel,
                "MLeap node '\(node.name)' (bucketizer): only the single-column 'splits' layout is supported")
        }
        let raw = try attrs.doubles("splits")
        // null stands for -Infinity first and +Infinity last.
        let fixed = raw.enumerated().map { index, value -> Double in
            guard value.isNaN else { return value }
            return index == 0 ? -.infinity : .infinity
        }
        guard fixed.count >= 2, zip(fixed, fixed.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (bucketizer): splits are not increasing")
        }
        let io = try node.singleIO()
        name = node.name
        inputNames = [io.input]
        outputs = [ColumnSpec(io.output, .double)]
        kernel = Operators.Bucketizer(inputs: [io.input], outputs: [io.output], splits: [fixed],
                                      handleInvalid: try attrs.handleInvalid())
    }

    var details: [Fact] {
        [Fact("buckets", "\(kernel.splits[0].count - 1)"), Fact("handle_invalid", kernel.handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
