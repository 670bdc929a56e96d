import ConveyorCore

/// Spark's Interaction: the tensor product of its inputs. Each input element
/// is encoded by its cardinality: 0 keeps the numeric value, n ≥ 1 one-hot
/// encodes a category index in 0..<n (Spark's EncodingIterator). The output
/// index is row-major over the inputs (the first input varies slowest) and,
/// as Spark, each product starts at 1 and multiplies the last input's value
/// first. Spark densifies vector inputs, so a numeric 0 is multiplied too
/// (0 × ∞ is NaN). A null input is refused, as Spark refuses it.
public struct Interaction: Kernel {
    public let inputs: [String]
    public let output: String
    /// Per input, per element: 0 for numeric, else the category count.
    public let cardinalities: [[Int]]
    /// Per input, the encoded width (a numeric element counts 1).
    public let encodedWidths: [Int]
    public let width: Int

    /// Nil without inputs, with an input of no elements, a negative
    /// cardinality, or an output wider than `maxWidth`.
    public init?(inputs: [String], output: String, cardinalities: [[Int]], maxWidth: Int) {
        guard !inputs.isEmpty, inputs.count == cardinalities.count,
              cardinalities.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 0 && $0 <= maxWidth } }) else { return nil }
        var widths: [Int] = []
        var product = 1
        for input in cardinalities {
            var sum = 0
            for c in input {
                let (next, overflow) = sum.addingReportingOverflow(max(c, 1))
                guard !overflow, next <= maxWidth else { return nil }
                sum = next
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: sum)
            guard !overflow, next <= maxWidth else { return nil }
            product = next
            widths.append(sum)
        }
        self.inputs = inputs
        self.output = output
        self.cardinalities = cardinalities
        encodedWidths = widths
        width = product
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let columns = try zip(inputs, cardinalities).map { name, encoding in
            try Inputs.vectors(frame, name, width: encoding.count, stage: stage)
        }
        var out = VectorBlock(width: width, rows: frame.rowCount)
        // Scratch for the (index, value) products so far: at most `width` of them.
        var indices = [Int](repeating: 0, count: width)
        var values = [Double](repeating: 0, count: width)
        var nextIndices = indices
        var nextValues = values
        for row in 0..<frame.rowCount {
            var count = 1
            indices[0] = 0
            values[0] = 1
            var size = 1
            for input in inputs.indices.reversed() {
                let (block, nulls) = columns[input]
                if nulls?[row] == true {
                    throw invalidRow("values to interact cannot be null", frame, row: row, column: inputs[input],
                                     stage: stage)
                }
                var nextCount = 0
                var offset = 0
                for (element, cardinality) in zip(block.row(row), cardinalities[input]) {
                    var slot = offset
                    var factor = element
                    if cardinality > 0 {
                        guard element >= 0, element < Double(cardinality), element == element.rounded(.towardZero) else {
                            throw invalidRow("values to interact must be category indices in 0..<\(cardinality), got \(element)",
                                             frame, row: row, column: inputs[input], stage: stage)
                        }
                        slot += Int(element)
                        factor = 1
                    }
                    for j in 0..<count {
                        nextIndices[nextCount] = indices[j] + slot * size
                        nextValues[nextCount] = values[j] * factor
                        nextCount += 1
                    }
                    offset += max(cardinality, 1)
                }
                swap(&indices, &nextIndices)
                swap(&values, &nextValues)
                count = nextCount
                size *= encodedWidths[input]
            }
            let base = row * width
            for j in 0..<count { out.storage[base + indices[j]] = values[j] }
        }
        try frame.put(.vectors(output, out))
    }
}
