import ConveyorCore
import Operators

/// `VectorAssembler`: numeric and vector columns concatenated into one
/// vector. Null or NaN: error, skip (drop the row) or keep (NaN values).
/// The output is dense: a zero Spark would store sparsely is still a value.
struct VectorAssembler: SparkTransformer {
    let metadata: SparkMetadata
    let inputNames: [String]
    let output: String
    let handleInvalid: HandleInvalid

    init(_ dir: SparkStageDirectory) throws {
        metadata = dir.metadata
        inputNames = try metadata.require(metadata.strings("inputCols"), "inputCols")
        output = try metadata.require(metadata.string("outputCol"), "outputCol")
        handleInvalid = try HandleInvalid(metadata)
    }

    var inputs: [ColumnSpec] { inputNames.map { ColumnSpec($0, .double) } }

    func outputs(given types: [String: ColumnType]) throws -> [ColumnSpec] {
        var width: Int? = 0
        for name in inputNames {
            let type = types[name] ?? .double
            switch type.shape {
            case .scalar: width = width.map { $0 + 1 }
            case .vector(let w): width = w.flatMap { w in width.map { $0 + w } }
            case .list: width = nil  // not assemblable; transform refuses it
            }
        }
        return [ColumnSpec(output, .vector(width))]
    }

    func transform(_ frame: Frame, stage: String) throws -> Frame {
        let columns = try inputNames.map { try frame.require($0, stage: stage).optionalVectors(stage: stage) }
        let width = columns.reduce(0) { $0 + $1.width }
        var storage: [Double] = []
        storage.reserveCapacity(width * frame.rowCount)
        var keep = [Bool](repeating: true, count: frame.rowCount)
        for row in 0..<frame.rowCount {
            for (position, column) in columns.enumerated() {
                if let values = column.rows[row] {
                    if handleInvalid != .keep, values.contains(where: \.isNaN) {
                        if handleInvalid == .skip { keep[row] = false } else {
                            throw ConveyorError(.invalidInput, "NaN value (VectorAssembler handleInvalid=error)",
                                                stage: stage, row: frame.inputRow(row), column: inputNames[position])
                        }
                    }
                    storage += values
                } else {
                    switch handleInvalid {
                    case .keep: break
                    case .skip: keep[row] = false
                    case .error:
                        throw ConveyorError(.invalidInput, "null value (VectorAssembler handleInvalid=error)",
                                            stage: stage, row: frame.inputRow(row), column: inputNames[position])
                    }
                    storage += repeatElement(Double.nan, count: column.width)
                }
            }
        }
        var result = frame
        try result.put(Column.vectors(output, VectorBlock(width: width, storage: storage, rows: frame.rowCount)))
        return keep.allSatisfy { $0 } ? result : result.filtered(keeping: keep)
    }
}
