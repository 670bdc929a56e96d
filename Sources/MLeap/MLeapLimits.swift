import ConveyorCore

/// Bounds on sizes read from a bundle that decide allocations: vector
/// widths (one-hot sizes, hashing features, interaction products), class
/// and label counts, tree nodes. Checked at load, so no request pays for them.
enum MLeapLimits {
    /// Widest vector a node may declare: 2^24 doubles is 128 MiB per row,
    /// far above real models (Spark's HashingTF defaults to 2^18).
    static let maxWidth = 1 << 24

    /// Values one bundle JSON file may hold (~50 bytes each once parsed): 2^22
    /// numbers is a 4-million-coefficient model.json, ~210 MB as a tree.
    static let maxJSONValues = 1 << 22

    static func checkSize(_ value: Int, _ name: String, node: String, op: String, minimum: Int = 0) throws -> Int {
        guard value >= minimum, value <= maxWidth else {
            throw ConveyorError(
                .modelCorrupt,
                "MLeap node '\(node)' (\(op)): '\(name)' is \(value); it must be in \(minimum)...\(maxWidth)")
        }
        return value
    }

    /// Every vector output of `transformer` within the width limit; and the
    /// product of widths computed without overflow where nodes multiply them.
    static func checkOutputs(_ transformer: any NodeTransformer) throws {
        for spec in transformer.outputs {
            if let width = spec.type.vectorWidth, width < 0 || width > maxWidth {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(transformer.name)' (\(transformer.op)): output '\(spec.name)' would be \(width) wide; "
                        + "the limit is \(maxWidth)")
            }
        }
    }

    /// `a * b`, or an error naming the node when it exceeds the width limit.
    static func product(_ values: [Int], _ what: String, node: String, op: String) throws -> Int {
        var product = 1
        for value in values {
            let (next, overflow) = product.multipliedReportingOverflow(by: value)
            guard !overflow, next <= maxWidth else {
                throw ConveyorError(
                    .modelCorrupt, "MLeap node '\(node)' (\(op)): \(what) \(values) multiply past \(maxWidth)")
            }
            product = next
        }
        return product
    }
}
