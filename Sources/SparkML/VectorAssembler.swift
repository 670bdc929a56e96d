import ConveyorCore
import Operators

/// Reads a saved `VectorAssembler` into the VectorAssembler kernel; Spark's
/// handleInvalid applies to nulls and NaNs alike.
struct VectorAssembler: SparkTransformer {
    let metadata: SparkMetadata
    let kernel: Operators.VectorAssembler

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        let handleInvalid = try HandleInvalid(metadata)
        kernel = Operators.VectorAssembler(
            inputs: try metadata.require(metadata.strings("inputCols"), "inputCols"),
            output: try metadata.require(metadata.string("outputCol"), "outputCol"),
            onNull: handleInvalid, onNaN: handleInvalid)
    }

    var inputs: [ColumnSpec] { kernel.inputs.map { ColumnSpec($0, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        var width: Int? = 0
        for name in kernel.inputs {
            let type = types[name] ?? .double
            switch type.shape {
            case .scalar: width = width.map { $0 + 1 }
            case .vector(let w): width = w.flatMap { w in width.map { $0 + w } }
            case .list: width = nil  // not assemblable; transform refuses it
            }
        }
        return [ColumnSpec(kernel.output, .vector(width))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame { try kernel.transform(frame, stage: stage) }
    var kernelToFuse: (any Kernel)? { kernel }

    var tracer: (any Traceable)? { kernel }
}
