import ConveyorCore

/// Spark's ElementwiseProduct: x ⊙ scalingVec. A null vector stays null.
public struct ElementwiseProduct: Kernel {
    public let input: String
    public let output: String
    public let scale: [Double]

    public init(input: String, output: String, scale: [Double]) {
        self.input = input
        self.output = output
        self.scale = scale
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let width = scale.count
        var (block, nulls) = try Inputs.vectors(frame, input, width: width, stage: stage)
        let rows = block.rowCount
        block.storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows { for i in 0..<width { x[row * width + i] *= scale[i] } }
        }
        try frame.put(Column(name: output, type: .vector(width), values: .vector(block), nulls: nulls))
    }
}
