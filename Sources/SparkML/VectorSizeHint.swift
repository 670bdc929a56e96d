import ConveyorCore
import Operators

/// Reads a saved `VectorSizeHint` (`size`, `handleInvalid`): it adds no
/// column but declares the input's width, and checks it as Spark does —
/// `error` refuses a null or a vector of another size, `skip` drops those
/// rows, `optimistic` passes everything.
struct VectorSizeHint: SparkTransformer {
    enum Policy: String { case error, skip, optimistic }

    let metadata: SparkMetadata
    let input: String
    let size: Int
    let policy: Policy

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        input = try metadata.require(metadata.string("inputCol"), "inputCol")
        size = try metadata.require(metadata.int("size", in: 0...(1 << 24)), "size")
        let raw = metadata.string("handleInvalid") ?? "error"
        guard let policy = Policy(rawValue: raw) else { throw metadata.failure("unknown handleInvalid '\(raw)'") }
        self.policy = policy
    }

    var inputs: [ColumnSpec] { [ColumnSpec(input, .vector(size))] }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] { [] }

    var dataFacts: [Fact] { [Fact("size", "\(size)")] }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        guard policy != .optimistic else { return frame }
        let column = try frame.require(input, stage: stage)
        let width = try column.vectorBlock(stage: stage).width
        let nulls = column.nulls
        if policy == .error {
            if let row = nulls?.firstIndex(of: true) {
                throw ConveyorError(.invalidInput, "null vector (VectorSizeHint handleInvalid=error)", stage: stage,
                                    row: frame.inputRow(row), column: input)
            }
            if width != size, frame.rowCount > 0 {
                throw ConveyorError(.invalidInput, "expected vectors of \(size) values, got \(width) "
                    + "(VectorSizeHint handleInvalid=error)", stage: stage, row: frame.inputRow(0), column: input)
            }
            return frame
        }
        // skip: a frame's vectors share one width, so either all rows have the wrong size or none.
        let keep = (0..<frame.rowCount).map { width == size && !(nulls?[$0] ?? false) }
        return keep.allSatisfy { $0 } ? frame : frame.filtered(keeping: keep)
    }
}
