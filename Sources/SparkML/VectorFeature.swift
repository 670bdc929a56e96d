import ConveyorCore
import Operators
import Parquet

/// A Spark stage that maps one vector column to another through one vector
/// kernel: PCAModel, VectorSlicer, the selector models, Normalizer,
/// ElementwiseProduct, PolynomialExpansion, DCT, VectorIndexerModel and
/// RobustScalerModel. Each class's reader (`VectorFeature+Readers`) parses
/// its params and data into the kernel.
struct VectorFeature: SparkTransformer {
    let metadata: SparkMetadata
    let input: String
    let output: String
    /// The input width the stage needs, when its data fixes it.
    let inputWidth: Int?
    /// The output width, when known at load (nil: the input's).
    let outputWidth: Int?
    /// The output width for an input width, for stages whose output width follows the input's.
    let outputWidthFor: (@Sendable (Int) -> Int?)?
    let kernel: any Kernel
    let facts: [Fact]

    init(_ metadata: SparkMetadata, input: String? = nil, inputWidth: Int?, outputWidth: Int?,
         outputWidthFor: (@Sendable (Int) -> Int?)? = nil, kernel: any Kernel, facts: [Fact] = []) throws {
        self.metadata = metadata
        self.input = try input ?? metadata.require(metadata.string("inputCol"), "inputCol")
        output = try metadata.require(metadata.string("outputCol"), "outputCol")
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        self.outputWidthFor = outputWidthFor
        self.kernel = kernel
        self.facts = facts
    }

    var inputs: [ColumnSpec] { [ColumnSpec(input, .vector(inputWidth))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        let inputWidth = types[input].flatMap { $0.isVector ? $0.vectorWidth : nil }
        let width = outputWidth ?? (outputWidthFor.map { widthFor in inputWidth.flatMap(widthFor) } ?? inputWidth)
        return [ColumnSpec(output, .vector(width))]
    }

    var dataFacts: [Fact] { facts }

    var tracer: (any Traceable)? { kernel as? any Traceable }

    /// Spark's UDFs over a null vector fail (the vector is dereferenced), so a
    /// null row is refused as Spark refuses it.
    func transform(_ frame: Frame, stage: String) throws -> Frame {
        if let column = frame.column(input), let nulls = column.nulls, let row = nulls.firstIndex(of: true) {
            throw ConveyorError(.invalidInput, "the vector is null; Spark's \(metadata.className.split(separator: ".").last ?? "") "
                + "fails on a null vector", stage: stage, row: frame.inputRow(row), column: input)
        }
        return try kernel.transform(frame, stage: stage)
    }
}

/// A kernel built for the width of the vectors it meets, for Spark stages
/// whose work depends on it (PolynomialExpansion, DCT): built once per call.
struct PerWidthKernel: Traceable {
    let input: String
    /// Nil when the width is over the stage's limit.
    let make: @Sendable (Int) -> (any Kernel)?
    /// The limit, for the message.
    let limit: String

    func apply(to frame: inout Frame, stage: String) throws {
        let column = try frame.require(input, stage: stage)
        let width = try column.vectorBlock(stage: stage).width
        guard let kernel = make(width) else {
            throw ConveyorError(.invalidInput, "vectors of \(width) values are over the limit: \(limit)", stage: stage,
                                column: input)
        }
        try kernel.apply(to: &frame, stage: stage)
    }

    /// The lineage of the kernel built for the width the frame's vectors had.
    func trace(_ lineage: inout Lineage, output frame: Frame) throws {
        let width = try frame.require(input).vectorBlock(stage: "").width
        guard let kernel = make(width) as? any Traceable else {
            throw ConveyorError(.notExplainable, "cannot trace vectors of \(width) values: \(limit)", column: input)
        }
        try kernel.trace(&lineage, output: frame)
    }
}
