import ConveyorCore

/// Picks elements of a vector by index, in the order given: Spark's
/// VectorSlicer and the selector models (ChiSqSelectorModel,
/// UnivariateFeatureSelectorModel, VarianceThresholdSelectorModel). A null
/// vector stays null; a vector too short for an index is refused.
public struct VectorSelect: Kernel {
    public let input: String
    public let output: String
    public let indices: [Int]
    /// The fitted input width, when the model fixes it.
    public let inputWidth: Int?

    public init(input: String, output: String, indices: [Int], inputWidth: Int? = nil) {
        self.input = input
        self.output = output
        self.indices = indices
        self.inputWidth = inputWidth
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, input, width: inputWidth, stage: stage)
        if let largest = indices.max(), largest >= block.width, block.rowCount > 0 {
            throw ConveyorError(
                .invalidInput, "needs index \(largest) but the vector has \(block.width) values", stage: stage, column: input)
        }
        let width = indices.count
        var out = VectorBlock(width: width, rows: block.rowCount)
        for row in 0..<block.rowCount {
            for (slot, index) in indices.enumerated() { out.storage[row * width + slot] = block[row, index] }
        }
        try frame.put(Column(name: output, type: .vector(width), values: .vector(out), nulls: nulls))
    }
}
