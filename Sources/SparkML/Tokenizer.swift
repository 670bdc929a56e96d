import ConveyorCore
import Operators

/// Reads a saved `Tokenizer` (no params but its columns) into the Tokenizer
/// kernel. Spark fails on a null text, so a null row is refused.
struct Tokenizer: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.Tokenizer

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let pair = try metadata.singleColumnPair()
        kernel = Operators.Tokenizer(input: pair.input, output: pair.output, nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .string)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .stringList)] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
