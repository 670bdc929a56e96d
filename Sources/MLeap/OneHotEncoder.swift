import ConveyorCore
import Operators

/// Spark's OneHotEncoder(Model), in the three layouts writers used:
/// - `category_sizes` + `drop_last` + `handle_invalid` (MLeap ≥ 0.12, Spark 2.3+):
///   width = size − 1 with drop_last, + 1 with keep (both: size).
/// - `size` (+ `drop_last`) from Spark writers ≤ 0.11: `size` is already the
///   output width (the category count minus one when drop_last), and an
///   index equal to `size` is the dropped last category → all zeros.
/// - `size` from MLeap's Python writer (0.8.1: with `drop_last: true`;
///   0.25: with `handle_invalid`): `size` is the category count and the
///   vector is not shortened. The MLeap runtime of those versions used
///   `size` as the width in every case, so both old layouts agree: width = size.
struct OneHotEncoder: NodeTransformer {
    struct Encoding: Sendable {
        /// Valid indexes are 0..<categories.
        let categories: Int
        let width: Int
        /// Index used for invalid values under `keep` (nil: no slot, all zeros).
        let keepSlot: Int?
    }

    let name: String
    let op = "one_hot_encoder"
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let encodings: [Encoding]
    let handleInvalid: HandleInvalid
    let layout: String

    init(_ node: BundleNode) throws {
        let attrs = node.attributes
        let dropLast = try attrs.bool("drop_last", default: true)
        if attrs.has("category_sizes") {
            handleInvalid = try attrs.handleInvalid()
            let keep = handleInvalid == .keep
            let sizes = try attrs.ints("category_sizes")
            for size in sizes { _ = try MLeapLimits.checkSize(size, "category_sizes", node: node.name, op: "one_hot_encoder") }
            encodings = sizes.map { size in
                switch (dropLast, keep) {
                case (false, true): return Encoding(categories: size, width: size + 1, keepSlot: size)
                case (true, false): return Encoding(categories: size, width: size - 1, keepSlot: nil)
                case (true, true): return Encoding(categories: size, width: size, keepSlot: nil)
                case (false, false): return Encoding(categories: size, width: size, keepSlot: nil)
                }
            }
            layout = "category_sizes"
        } else {
            let size = try attrs.size("size")
            // Old Spark writers: the dropped last category (index == size) is valid.
            let categories = attrs.has("handle_invalid") ? size : size + (dropLast ? 1 : 0)
            handleInvalid = attrs.has("handle_invalid") ? try attrs.handleInvalid() : .keep
            encodings = [Encoding(categories: categories, width: size, keepSlot: nil)]
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
    }

    var details: [Fact] {
        zip(outputs, encodings).map { Fact("width", "\($0.1.width) for '\($0.0.name)' (\($0.1.categories) categories)") }
            + [Fact("layout", layout), Fact("handle_invalid", handleInvalid.rawValue)]
    }

    func apply(to frame: inout Frame, stage: String) throws {
        var keep: [Bool]?
        for (index, input) in inputNames.enumerated() {
            let encoding = encodings[index]
            let values = try Inputs.doubles(frame, input, stage: stage)
            var block = VectorBlock(width: encoding.width, rows: values.count)
            for row in 0..<values.count {
                let value = values[row]
                if value.isFinite, value != value.rounded() {
                    throw invalid(
                        "one_hot_encoder input \(value) is not a category index", frame, row: row,
                        column: input, stage: stage)
                }
                var slot: Int? = nil
                if value >= 0, value < Double(encoding.categories) {
                    slot = Int(value)
                } else {
                    switch handleInvalid {
                    case .keep: slot = encoding.keepSlot
                    case .skip:
                        if keep == nil { keep = [Bool](repeating: true, count: frame.rowCount) }
                        keep?[row] = false
                    case .error:
                        throw invalid(
                            "category index \(value) in column '\(input)' is outside 0..<\(encoding.categories) "
                                + "(handle_invalid=error)", frame, row: row, column: input, stage: stage)
                    }
                }
                if let slot, slot < encoding.width { block[row, slot] = 1 }
            }
            try frame.put(.vectors(outputs[index].name, block))
        }
        if let keep { frame = frame.filtered(keeping: keep) }
    }
}
