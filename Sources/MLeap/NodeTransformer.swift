import ConveyorCore
import Operators

/// One executable bundle node: reads columns of a frame, adds columns.
/// Output types (and vector widths) are fixed when the node is built.
protocol NodeTransformer: Sendable {
    var name: String { get }
    var op: String { get }
    var inputNames: [String] { get }
    var outputs: [ColumnSpec] { get }
    /// Key sizes for `inspect` (labels, widths, trees).
    var details: [Fact] { get }
    /// The type this node expects for an input column it reads.
    var inputType: ColumnType { get }

    /// Adds this node's outputs to `frame` in place (no copy of the other columns).
    func apply(to frame: inout Frame, stage: String) throws
    /// The kernel that records where this node's outputs come from, when it can.
    var tracer: (any Traceable)? { get }
    /// The index-to-name kernel, for a node that names class indices.
    var classNamer: IndexToString? { get }
    /// The Operators kernel this node runs unchanged, when it is one:
    /// `KernelFusion` recognizes those.
    var kernelToFuse: (any Kernel)? { get }
}

extension NodeTransformer {
    var details: [Fact] { [] }

    /// `apply(to:stage:)` on a copy, for callers that keep the input.
    func transform(_ frame: Frame, stage: String) throws -> Frame {
        var copy = frame
        try apply(to: &copy, stage: stage)
        return copy
    }
    var inputType: ColumnType { .double }
    var tracer: (any Traceable)? { nil }
    var classNamer: IndexToString? { nil }
    var kernelToFuse: (any Kernel)? { nil }

    /// An invalid-input error at row `index` of `frame`.
    func invalid(_ message: String, _ frame: Frame, row index: Int, column: String, stage: String)
        -> ConveyorError
    {
        ConveyorError(.invalidInput, message, stage: stage, row: frame.inputRow(index), column: column)
    }
}

/// A node as a step of a fused plan.
struct NodeKernel: Kernel {
    let node: any NodeTransformer
    func apply(to frame: inout Frame, stage: String) throws { try node.apply(to: &frame, stage: stage) }
}

/// What is known about columns while nodes are built in order: the
/// schema's input types first, then each node's outputs.
struct TypeEnvironment {
    var types: [String: ColumnType]

    func width(of column: String) -> Int? {
        guard let type = types[column] else { return nil }
        return type.isVector ? type.vectorWidth : 1
    }

    mutating func add(_ specs: [ColumnSpec]) {
        for spec in specs { types[spec.name] = spec.type }
    }
}

/// Shared helpers for reading inputs in the transformers.
enum Inputs {
    /// Rows as doubles (nulls → NaN), plus the null mask.
    static func doubles(_ frame: Frame, _ name: String, stage: String) throws -> [Double] {
        try frame.require(name, stage: stage).scalarDoubles(stage: stage)
    }

    /// A vector column, checking its width against the built width.
    static func block(_ frame: Frame, _ name: String, width: Int?, stage: String) throws -> VectorBlock {
        let column = try frame.require(name, stage: stage)
        let block = try column.vectorBlock(stage: stage)
        if let width, block.width != width, frame.rowCount > 0 {
            throw ConveyorError(
                .invalidInput, "expected a vector of width \(width), found width \(block.width)",
                stage: stage, column: name)
        }
        return block
    }
}
