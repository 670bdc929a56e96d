import ConveyorCore

/// Spark's IndexToString (MLeap's reverse_string_indexer): a label index
/// back to its label. Like Spark, the index is truncated toward zero
/// (`index.toInt`), so 1.7 is label 1; an index outside the labels or NaN is
/// refused, naming the row. A null index gives a null label.
public struct IndexToString: Kernel {
    public let input: String
    public let output: String
    public let labels: [String]
    /// `input` and `output`, hashed once.
    private let names: (input: Frame.Name, output: Frame.Name)

    public init(input: String, output: String, labels: [String]) {
        self.input = input
        self.output = output
        self.labels = labels
        names = (Frame.Name(input), Frame.Name(output))
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (values, nulls) = try Inputs.scalars(frame, names.input, stage: stage)
        let count = Double(labels.count)
        var out = [String](filled: "", count: values.count)
        for row in 0..<values.count where nulls?[row] != true {
            let value = values[row]
            // value > -1 and < count: truncation lands in 0..<count (NaN fails both).
            guard value > -1, value < count else {
                throw invalidRow("index \(value) is not a label index (0..<\(labels.count))", frame, row: row,
                                 column: input, stage: stage)
            }
            out[row] = labels[Int(value)]
        }
        try frame.put(.strings(output, out, nulls: nulls), as: names.output)
    }
}
