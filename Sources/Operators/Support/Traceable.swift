import ConveyorCore

/// A kernel that can say which of its input columns each slot of its
/// outputs comes from, so that explanations can add a model's attributions
/// back up onto the caller's columns.
public protocol Traceable: Kernel {
    /// Records the lineage of this kernel's outputs; `output` is the frame
    /// after the kernel ran (its inputs are still in it).
    func trace(_ lineage: inout Lineage, output: Frame) throws
}

extension StringIndexer: Traceable {
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

/// Column by column: each output from its own input.
extension Imputer: Traceable {
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

extension Bucketizer: Traceable {
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

extension Binarizer: Traceable {
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

/// Scaling works slot by slot: each output slot from the same input slot.
extension VectorScaler: Traceable {
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let width = Lineage.width(of: try frame.require(output))
        lineage.derive(output, slots: lineage.origins(of: input, width: width))
    }
}

extension OneHotEncoder: Traceable {
    /// Every slot of a one-hot vector comes from its one input column.
    public func trace(_ lineage: inout Lineage, output: Frame) {
        for (input, column) in zip(inputs, outputs) { lineage.derive(column, from: lineage.origins(of: input)) }
    }
}

extension VectorAssembler: Traceable {
    /// Slots in input order, each input as wide as it is in the frame.
    public func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        var slots: [Set<String>] = []
        for input in inputs {
            let column = try frame.require(input)
            slots += lineage.origins(of: input, width: Lineage.width(of: column))
        }
        lineage.derive(output, slots: slots)
    }
}
