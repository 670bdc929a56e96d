import ConveyorCore

/// A kernel that can say which of its input columns each slot of its
/// outputs comes from, so that explanations can add a model's attributions
/// back up onto the caller's columns.
public protocol Traceable: Kernel {
    /// Records the lineage of this kernel's outputs; `output` is the frame
    /// after the kernel ran (its inputs are still in it).
    func trace(_ lineage: inout Lineage, output: Frame) throws
}

/// A kernel whose output columns each come, whole, from the input column
/// at the same position (indexers, encoders, imputers, bucketizers, binarizers).
public protocol ColumnPairs: Traceable {
    var inputs: [String] { get }
    var outputs: [String] { get }
}

extension ColumnPairs {
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

extension StringIndexer: ColumnPairs {}
/// Every slot of a one-hot vector comes from its one input column.
extension OneHotEncoder: ColumnPairs {}
extension Imputer: ColumnPairs {}
extension Bucketizer: ColumnPairs {}
extension Binarizer: ColumnPairs {}

/// A kernel that works slot by slot: each output slot from the same input slot.
public protocol SlotwiseFromInput: Traceable {
    var input: String { get }
    var output: String { get }
}

extension SlotwiseFromInput {
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let width = Lineage.width(of: try frame.require(output))
        lineage.derive(output, slots: lineage.origins(of: input, width: width))
    }
}

extension VectorScaler: SlotwiseFromInput {}

extension VectorAssembler: Traceable {
    /// Slots in input order, each input as wide as it is in the frame.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        var slots: [Set<String>] = []
        slots.reserveCapacity(frame.column(output).map(Lineage.width(of:)) ?? 0)
        for input in inputs {
            let column = try frame.require(input)
            slots += lineage.origins(of: input, width: Lineage.width(of: column))
        }
        lineage.derive(output, slots: slots)
    }
}
