import ConveyorCore
import Operators

/// Reads a one_hot_encoder node, in the three layouts writers used:
/// - `category_sizes` + `drop_last` + `handle_invalid` (MLeap ≥ 0.12, Spark 2.3+):
///   Spark's widths (size − 1 with drop_last, + 1 with keep; both: size).
/// - `size` (+ `drop_last`) from Spark writers ≤ 0.11: `size` is already the
///   output width (the category count minus one when drop_last), and an
///   index equal to `size` is the dropped last category → all zeros.
/// - `size` from MLeap's Python writer (0.8.1: with `drop_last: true`;
///   0.25: with `handle_invalid`): `size` is the category count and the
///   vector is not shortened. The MLeap runtime of those versions used
///   `size` as the width in every case, so both old layouts agree: width = size.
struct OneHotEncoder: NodeTransformer {
    let name: String
    let op = "one_hot_encoder"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let kernel: Operators.OneHotEncoder
    let layout: String

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        let dropLast = try attrs.bool("drop_last", default: true)
        let handleInvalid: HandleInvalid
        let encodings: [Operators.OneHotEncoder.Encoding]
        if attrs.has("category_sizes") {
            handleInvalid = try attrs.handleInvalid()
            let sizes = try attrs.ints("category_sizes")
            for size in sizes { _ = try MLeapLimits.checkSize(size, "category_sizes", node: node.name, op: "one_hot_encoder") }
            encodings = sizes.map { .init(categorySize: $0, dropLast: dropLast, keepInvalid: handleInvalid == .keep) }
            layout = "category_sizes"
        } else {
            let size = try attrs.size("size")
            // Old Spark writers: the dropped last category (index == size) is valid.
            let categories = attrs.has("handle_invalid") ? size : size + (dropLast ? 1 : 0)
            handleInvalid = attrs.has("handle_invalid") ? try attrs.handleInvalid() : .keep
            encodings = [.init(categories: categories, width: size)]
            layout = "size"
        }
        guard node.inputs.count == encodings.count, node.outputs.count == encodings.count,
              encodings.allSatisfy({ $0.width >= 0 }) else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node.name)' (one_hot_encoder): \(encodings.count) sizes for "
                    + "\(node.inputs.count) inputs and \(node.outputs.count) outputs")
        }
        name = node.name
        inputNames = node.inputNames
        outputs = zip(node.outputNames, encodings).map { ColumnSpec($0.0, .vector($0.1.width)) }
        kernel = Operators.OneHotEncoder(inputs: node.inputNames, outputs: node.outputNames, encodings: encodings,
                                         handleInvalid: handleInvalid)
    }

    var details: [Fact] {
        zip(outputs, kernel.encodings).map { Fact("width", "\($0.1.width) for '\($0.0.name)' (\($0.1.categories) categories)") }
            + [Fact("layout", layout), Fact("handle_invalid", kernel.handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws { try kernel.apply(to: &frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}
