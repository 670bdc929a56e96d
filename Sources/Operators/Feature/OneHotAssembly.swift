import ConveyorCore

/// StringIndexer → OneHotEncoder → VectorAssembler chains, the usual
/// preprocessing of categorical columns, as one kernel: each string is
/// looked up once and its 1 written straight into the assembled vector, with
/// no index or one-hot column in between (for one row those columns, their
/// names and frame updates cost several times the lookups).
///
/// Built by `KernelFusion` from the kernels it replaces, which it keeps:
/// the fused loop handles the common case (every string a known label,
/// no nulls, and for the columns assembled as they are, no value the
/// assembler's policies act on); on anything else it writes nothing and the
/// original kernels run instead, so errors, skipped rows and kept invalid
/// values are exactly theirs.
public struct OneHotAssembly: Kernel {
    enum Part: Sendable {
        case category(Category)
        /// A column the assembler takes as it is (scalar or vector).
        case values(column: String, width: Int?)
    }

    /// A string column: label `i` sets slot `slots[i]` of this part (-1: no
    /// slot, the dropped last category; -2: the one-hot encoder's invalid
    /// case, left to the original kernels). A class, so that walking the
    /// parts per call retains one reference, not each array.
    final class Category: Sendable {
        let column: String
        /// `column`, hashed once.
        let name: Frame.Name
        let lookup: UTF8Index
        let slots: [Int]
        let width: Int

        init(column: String, lookup: UTF8Index, slots: [Int], width: Int) {
            // The fused loop writes a slot's 1 through an unchecked buffer.
            precondition(slots.allSatisfy { (-2..<width).contains($0) }, "one-hot slots lie inside their part")
            self.column = column
            name = Frame.Name(column)
            self.lookup = lookup
            self.slots = slots
            self.width = width
        }
    }

    let parts: [Part]
    public let output: String
    /// `output`, hashed once.
    let outputName: Frame.Name
    let onNaN: HandleInvalid
    /// The StringIndexer, OneHotEncoder and VectorAssembler kernels this one
    /// stands for, in their order.
    let original: [any Kernel]
    /// The index and one-hot columns the original kernels write: should the
    /// input frame already hold one, they would replace it, and the stage
    /// returns the input's columns.
    let intermediates: Frame.NameSet
    /// The output width, when every part fixes its own.
    let knownWidth: Int?

    init(parts: [Part], output: String, onNaN: HandleInvalid, original: [any Kernel], intermediates: [String]) {
        self.parts = parts
        self.output = output
        outputName = Frame.Name(output)
        self.onNaN = onNaN
        self.original = original
        self.intermediates = Frame.NameSet(intermediates)
        var width: Int? = 0
        for part in parts {
            switch part {
            case .category(let category): width = width.map { $0 + category.width }
            case .values(_, let partWidth): width = partWidth.flatMap { known in width.map { $0 + known } }
            }
        }
        knownWidth = width
    }

    /// The string columns looked up and one-hot encoded, in order.
    public var categoryColumns: [String] {
        parts.compactMap { if case .category(let category) = $0 { category.column } else { nil } }
    }

    /// The columns assembled as they are, in order.
    public var valueColumns: [String] {
        parts.compactMap { if case .values(let column, _) = $0 { column } else { nil } }
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        if let block = assembled(frame, stage: stage) {
            try frame.put(.vectors(output, block), as: outputName)
            return
        }
        for kernel in original { try kernel.apply(to: &frame, stage: stage) }
    }

    /// The assembled vectors, or nil when a row needs the original kernels
    /// (also for a missing or mistyped column: the error is theirs to give).
    func assembled(_ frame: Frame, stage: String) -> VectorBlock? {
        let rows = frame.rowCount
        if frame.containsAny(of: intermediates) {
            return nil
        }
        // The columns assembled as they are, each read once for the width,
        // the choice of float32 and the values (none for one-hot parts only).
        var inputs: [VectorBlock] = []
        for partIndex in parts.indices {
            guard case .values(let name, let partWidth) = parts[partIndex] else { continue }
            guard let block = try? Inputs.vectors(frame, name, width: partWidth, stage: stage).block else { return nil }
            inputs.append(block)
        }
        let width = knownWidth ?? parts.reduce(inputs.reduce(0) { $0 + $1.width }) { sum, part in
            if case .category(let category) = part { sum + category.width } else { sum }
        }
        // Float32 when every value is exactly one (always for one-hot
        // slots): a tree model then takes the block as its feature matrix.
        let float32 = inputs.allSatisfy { block in
            block.float32Storage != nil || block.storage.withUnsafeBufferPointer(VectorBlock.fitsFloat32)
        }
        if float32 {
            guard let values = filled(Float.self, width: width, inputs: inputs, frame: frame) else { return nil }
            return VectorBlock(width: width, float32: values, rows: rows)
        }
        guard let values = filled(Double.self, width: width, inputs: inputs, frame: frame) else { return nil }
        return VectorBlock(width: width, storage: values, rows: rows)
    }

    /// The assembled values (zeros but for what the parts set), or nil
    /// when a row needs the unfused stages. Written through one buffer: each
    /// store into the array checked its uniqueness.
    private func filled<Value: BinaryFloatingPoint>(_: Value.Type, width: Int, inputs: [VectorBlock],
                                                    frame: Frame) -> [Value]? {
        var values = [Value](filled: 0, count: frame.rowCount * width)
        let assembled = values.withUnsafeMutableBufferPointer { values in
            fill(values, width: width, inputs: inputs, frame: frame)
        }
        return assembled ? values : nil
    }

    /// Writes each part's values into `storage` (zeros, `width` per row),
    /// the value parts' from `inputs` in order; false when a row needs the
    /// unfused stages (see `assembled`).
    private func fill<Value: BinaryFloatingPoint>(_ storage: UnsafeMutableBufferPointer<Value>, width: Int,
                                                  inputs: [VectorBlock], frame: Frame) -> Bool {
        let rows = frame.rowCount
        var offset = 0
        var inputIndex = 0
        // By index, and columns read in place: copying each part and column
        // cost more reference counting than one row's lookups.
        for partIndex in parts.indices {
            switch parts[partIndex] {
            case .category(let category):
                guard let index = frame.index(of: category.name),
                      frame.columns[index].nulls?.contains(true) != true, offset + category.width <= width,
                      case .string(let texts) = frame.columns[index].values, texts.count == rows else { return false }
                var handled = true
                texts.forEachUTF8WithHead { row, bytes, head in
                    guard handled, let label = category.lookup.index(ofUTF8: bytes, head: head) else { return handled = false }
                    let slot = category.slots[label]
                    if slot == -2 { return handled = false }
                    if slot >= 0 { storage[row * width + offset + slot] = 1 }
                }
                guard handled else { return false }
                offset += category.width
            case .values(let name, _):
                let block = inputs[inputIndex]
                inputIndex += 1
                guard let column = frame.column(name), column.nulls?.contains(true) != true,
                      offset + block.width <= width, block.rowCount == rows else { return false }
                // Read once: a float32 block widens on each read of `storage`.
                let source = block.storage
                guard onNaN == .keep || !source.contains(where: \.isNaN) else { return false }
                for row in 0..<rows {
                    for value in 0..<block.width {
                        storage[row * width + offset + value] = Value(source[row * block.width + value])
                    }
                }
                offset += block.width
            }
        }
        return true
    }
}
