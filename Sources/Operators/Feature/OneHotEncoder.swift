import ConveyorCore

/// Spark's OneHotEncoderModel: a category index → a vector with a 1 at that
/// index. Per column, indices `0..<categories` are valid and the vector is
/// `width` wide (the readers work out both from their layouts: dropLast,
/// keep's extra slot, old writers' `size`); a valid index at or past the
/// width (the dropped last category) is all zeros. As in Spark the index is
/// truncated toward zero. An invalid index (negative, too large, NaN):
/// error; skip (drop the row); keep (slot `categories`, if the vector has
/// it). A null index gives a null vector.
public struct OneHotEncoder: Kernel {
    public struct Encoding: Sendable, Equatable {
        public let categories: Int
        public let width: Int

        public init(categories: Int, width: Int) {
            self.categories = categories
            self.width = width
        }

        /// Spark's sizes from `categorySizes`: −1 slot for dropLast, +1 for keep.
        public init(categorySize size: Int, dropLast: Bool, keepInvalid: Bool) {
            categories = size
            switch (dropLast, keepInvalid) {
            case (false, true): width = size + 1
            case (true, false): width = size - 1
            default: width = size
            }
        }
    }

    public let inputs: [String]
    public let outputs: [String]
    public let encodings: [Encoding]
    public let handleInvalid: HandleInvalid

    public init(inputs: [String], outputs: [String], encodings: [Encoding], handleInvalid: HandleInvalid) {
        precondition(inputs.count == encodings.count && outputs.count == encodings.count)
        precondition(encodings.allSatisfy { $0.width >= 0 && $0.categories >= 0 })
        self.inputs = inputs
        self.outputs = outputs
        self.encodings = encodings
        self.handleInvalid = handleInvalid
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var filter = RowFilter(rows: frame.rowCount)
        var results: [Column] = []
        for index in inputs.indices {
            let input = inputs[index]
            let encoding = encodings[index]
            let (values, nulls) = try Inputs.scalars(frame, input, stage: stage)
            let width = encoding.width
            let categories = Double(encoding.categories)
            var storage = [Double](repeating: 0, count: width * values.count)
            for row in 0..<values.count where nulls?[row] != true {
                let value = values[row]
                let slot: Int
                if value >= 0, value < categories {
                    slot = Int(value)  // truncation, as Spark's `idx.toInt`
                } else {
                    switch handleInvalid {
                    case .keep: slot = encoding.categories
                    case .skip:
                        filter.drop(row)
                        continue
                    case .error:
                        throw invalidRow(
                            "category index \(value) in column '\(input)' is outside 0..<\(encoding.categories) "
                                + "(handle_invalid=error)", frame, row: row, column: input, stage: stage)
                    }
                }
                if slot < width { storage[row * width + slot] = 1 }
            }
            let block = VectorBlock(width: width, storage: storage, rows: values.count)
            results.append(Column(name: outputs[index], type: .vector(width), values: .vector(block), nulls: nulls))
        }
        for column in results { try frame.put(column) }
        filter.apply(to: &frame)
    }
}
