import ConveyorCore

/// Spark's PCAModel: projects x onto the principal components. The matrix
/// is [input width × k], stored column-major (Spark's `pc.toArray`). A null
/// vector stays null.
public struct PCA: Kernel {
    public let input: String
    public let output: String
    public let inputWidth: Int
    public let k: Int
    /// Column-major: component j is components[j*inputWidth ..< (j+1)*inputWidth].
    public let components: [Double]

    /// Nil when the matrix does not hold inputWidth × k values.
    public init?(input: String, output: String, inputWidth: Int, k: Int, components: [Double]) {
        guard inputWidth >= 0, k >= 0, inputWidth.multipliedReportingOverflow(by: k) == (components.count, false) else {
            return nil
        }
        self.input = input
        self.output = output
        self.inputWidth = inputWidth
        self.k = k
        self.components = components
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, input, width: inputWidth, stage: stage)
        var out = VectorBlock(width: k, rows: block.rowCount)
        let n = inputWidth
        block.storage.withUnsafeBufferPointer { x in
            components.withUnsafeBufferPointer { c in
                for row in 0..<block.rowCount {
                    for j in 0..<k {
                        var sum = 0.0
                        for i in 0..<n { sum += c[j * n + i] * x[row * n + i] }
                        out.storage[row * k + j] = sum
                    }
                }
            }
        }
        try frame.put(Column(name: output, type: .vector(k), values: .vector(out), nulls: nulls))
    }
}
