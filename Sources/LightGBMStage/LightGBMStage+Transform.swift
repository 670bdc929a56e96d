import ConveyorCore
import LightGBM

extension LightGBMStage {
    public func transform(_ frame: consuming Frame) throws -> Frame {
        let rows = frame.rowCount
        let features = try featureMatrix(frame)
        let width = model.outputs
        var raw = try model.rawScores(features, rows: rows)
        guard let selection else {
            raw.withUnsafeMutableBufferPointer { model.convert(rawScores: $0, rows: rows) }
            try frame.put(column(LightGBMOutput.scoreColumn, raw, width: width))
            return frame
        }
        var predicted = raw
        predicted.withUnsafeMutableBufferPointer { model.convert(rawScores: $0, rows: rows) }
        frame.reserveColumns(selection.count)
        for key in selection { try frame.put(column(key, raw: raw, predicted: predicted, rows: rows)) }
        return frame
    }

    /// The input column as a row-major matrix; a null row is all missing (NaN).
    func featureMatrix(_ frame: Frame) throws -> [Double] {
        let column = try frame.require(input, stage: name)
        let block = try column.vectorBlock(stage: name)
        let width = model.numFeature
        guard block.width == width || (block.rowCount == 0 && frame.rowCount == 0) else {
            throw ConveyorError(.invalidInput,
                                "expected a vector of \(width) features, got \(column.type) (width \(block.width))",
                                stage: name, column: input)
        }
        var matrix = block.storage
        if let nulls = column.nulls, column.type.isVector {
            for (row, isNull) in nulls.enumerated() where isNull {
                for index in (row * width)..<((row + 1) * width) { matrix[index] = .nan }
            }
        }
        return matrix
    }

    private func column(_ key: LightGBMOutput, raw: [Double], predicted: [Double], rows: Int) -> Column {
        let width = model.outputs
        let binary = model.objective.isBinary
        switch key {
        case .rawScore:
            return column(key.rawValue, raw, width: width)
        case .predictedScore:
            return column(key.rawValue, predicted, width: width)
        case .predictedLabel:
            return column(key.rawValue, (0..<rows).map { row in
                binary ? (predicted[row] > 1 - predicted[row] ? 1 : 0)
                    : Double(Self.argmax(predicted[(row * width)..<((row + 1) * width)]))
            }, width: 1)
        case .probability:
            return column(key.rawValue, (0..<rows).map { row in
                binary ? predicted[row]
                    : predicted[row * width + Self.argmax(predicted[(row * width)..<((row + 1) * width)])]
            }, width: 1)
        case .probabilities:
            if binary { return column(key.rawValue, predicted.flatMap { [1 - $0, $0] }, width: 2) }
            return column(key.rawValue, predicted, width: width)
        }
    }

    /// The first index of the largest value, as numpy's argmax picks it.
    static func argmax(_ row: ArraySlice<Double>) -> Int {
        var best = row.startIndex
        for index in row.indices where row[index] > row[best] { best = index }
        return best - row.startIndex
    }

    private func column(_ name: String, _ values: [Double], width: Int) -> Column {
        if width == 1 { return Column(name: name, type: .double, values: .double(values)) }
        return Column(name: name, type: .vector(width), values: .vector(VectorBlock(width: width, storage: values)))
    }
}
