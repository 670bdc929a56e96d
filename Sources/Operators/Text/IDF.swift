import ConveyorCore

/// Spark's IDFModel: multiplies each vector element by its inverse document
/// frequency. Zeros stay zero (Spark multiplies only a sparse vector's
/// stored values).
public struct IDF: Kernel {
    public let input: String
    public let output: String
    public let idf: [Double]
    public let nullRows: NullRows

    public init(input: String, output: String, idf: [Double], nullRows: NullRows) {
        self.input = input
        self.output = output
        self.idf = idf
        self.nullRows = nullRows
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        var (block, nulls) = try Inputs.vectors(frame, input, width: idf.count, stage: stage)
        try Inputs.check(nulls, nullRows, frame, input, stage: stage)
        let width = idf.count
        let rows = block.rowCount
        block.storage.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let base = row * width
                for i in 0..<width where values[base + i] != 0 { values[base + i] *= idf[i] }
            }
        }
        try frame.put(Column(name: output, type: .vector(width), values: .vector(block), nulls: nulls))
    }
}
