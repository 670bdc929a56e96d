import ConveyorCore
import Operators

/// Reads a saved `NGram` (`n`, default 2) into the NGram kernel.
struct NGram: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.NGram

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let pair = try metadata.singleColumnPair()
        let n = try metadata.int("n", in: 1...Int(Int32.max)) ?? 2
        kernel = Operators.NGram(input: pair.input, output: pair.output, n: n, nullRows: .refuse)
    }

    var inputs: [ColumnSpec] { [ColumnSpec(kernel.input, .stringList)] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [ColumnSpec(kernel.output, .stringList)] }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }

    var tracer: (any Traceable)? { kernel }
}
