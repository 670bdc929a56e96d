import ConveyorCore

/// Spark's VectorAssembler: numeric scalars and vectors concatenated into
/// one dense vector (a zero Spark would store sparsely is still a value).
/// Nulls and NaNs each follow their own policy, since the formats differ:
/// Spark applies `handleInvalid` to both; MLeap's runtime passes NaN through
/// and cannot place a null. Error names the first bad row (then column);
/// skip drops the row; keep writes NaN for a null.
public struct VectorAssembler: Kernel {
    public let inputs: [String]
    public let output: String
    /// Each input's width when the op fixes it (1 for a scalar); nil: from the data.
    public let widths: [Int?]
    public let onNull: HandleInvalid
    public let onNaN: HandleInvalid

    public init(inputs: [String], output: String, widths: [Int?]? = nil, onNull: HandleInvalid, onNaN: HandleInvalid) {
        precondition(widths.map { $0.count == inputs.count } ?? true)
        self.inputs = inputs
        self.output = output
        self.widths = widths ?? inputs.map { _ in nil }
        self.onNull = onNull
        self.onNaN = onNaN
    }

    public func apply(to frame: inout Frame, stage: String) throws {
        let parts = try zip(inputs, widths).map { try Inputs.vectors(frame, $0, width: $1, stage: stage) }
        let rows = frame.rowCount
        let width = parts.reduce(0) { $0 + $1.block.width }
        // Each input's rows copied straight into their place in the output.
        var storage = [Double](unsafeUninitializedCapacity: width * rows) { buffer, count in
            var offset = 0
            for part in parts where part.block.width > 0 && rows > 0 {
                let block = part.block
                precondition(block.storage.count >= rows * block.width)
                block.storage.withUnsafeBufferPointer { source in
                    guard let target = buffer.baseAddress, let from = source.baseAddress else { return }
                    for row in 0..<rows {
                        (target + row * width + offset).initialize(from: from + row * block.width, count: block.width)
                    }
                }
                offset += block.width
            }
            count = width * rows
        }
        var filter = RowFilter(rows: rows)
        var firstError: (row: Int, column: Int, null: Bool)?
        var offset = 0
        for (position, part) in parts.enumerated() {
            let w = part.block.width
            defer { offset += w }
            if part.nulls == nil && onNaN == .keep { continue }
            for row in 0..<rows {
                let isNull = part.nulls?[row] == true
                let policy: HandleInvalid
                if isNull {
                    for i in 0..<w { storage[row * width + offset + i] = .nan }
                    policy = onNull
                } else if onNaN != .keep, (0..<w).contains(where: { storage[row * width + offset + $0].isNaN }) {
                    policy = onNaN
                } else {
                    continue
                }
                switch policy {
                case .keep: break
                case .skip: filter.drop(row)
                case .error:
                    if firstError.map({ row < $0.row }) ?? true { firstError = (row, position, isNull) }
                }
            }
        }
        if let bad = firstError {
            let input = inputs[bad.column]
            throw invalidRow(
                bad.null ? "null value in column '\(input)' cannot be assembled into a vector (handle_invalid=error)"
                    : "NaN value in column '\(input)' (handle_invalid=error)",
                frame, row: bad.row, column: input, stage: stage)
        }
        try frame.put(.vectors(output, VectorBlock(width: width, storage: storage, rows: rows)))
        filter.apply(to: &frame)
    }
}
