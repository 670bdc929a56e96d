import ConveyorCore
import XGBoost

extension XGBoostStage {
    public func transform(_ frame: consuming Frame) throws -> Frame {
        let features = try featureMatrix(frame)
        let prediction: Prediction
        do {
            prediction = try booster.predict(features, rows: frame.rowCount)
        } catch {
            throw error.conveyorError(stage: name, column: input)
        }
        frame.reserveColumns(selection.columnCount)
        for (column, name) in zip(try columns(for: prediction), outputNames) { try frame.put(column, as: name) }
        return frame
    }

    /// The input column as a row-major float32 matrix. Doubles narrow to
    /// float32 as XGBoost's own readers do; NaN (and a null row) stays NaN,
    /// which is missing. Zeros are values.
    func featureMatrix(_ frame: Frame) throws -> [Float] {
        let column = try frame.require(inputName, stage: name)
        let block = try column.vectorBlock(stage: name)
        let width = model.numFeature
        guard block.width == width || (block.rowCount == 0 && frame.rowCount == 0) else {
            throw ConveyorError(
                .invalidInput,
                "expected a vector of \(width) features, got \(column.type) (width \(block.width))",
                stage: name, column: input)
        }
        // Only a vector's null rows: a scalar column's placeholders are its values here, as before.
        return block.float32Matrix(nullRows: column.type.isVector ? column.nulls : nil)
    }

    func columns(for prediction: Prediction) throws -> [Column] {
        switch selection {
        case .score:
            if prediction.groups == 1 {
                return [scalar(OutputSelection.scoreColumn, prediction.values)]
            }
            return [vector(OutputSelection.scoreColumn, prediction.values, width: prediction.groups)]
        case .keys(let keys):
            return keys.map { column(for: $0, prediction) }
        }
    }

    /// One key's column, computed as the container's serve_utils does.
    private func column(for key: OutputKey, _ prediction: Prediction) -> Column {
        let rows = prediction.rows
        let objective = model.objective
        let softprob = objective == .multiSoftprob
        func perRow(_ body: (ArraySlice<Float>) -> Float) -> [Float] {
            (0..<rows).map { body(prediction.row($0)) }
        }
        switch key {
        case .predictedLabel:
            return scalar(key.rawValue, perRow { row in
                switch objective {
                case .binaryLogistic: return row[row.startIndex] > 0.5 ? 1 : 0
                case .binaryLogitRaw: return row[row.startIndex] > 0 ? 1 : 0
                case .multiSoftprob: return Float(Self.argmax(row))
                default: return row[row.startIndex]
                }
            })
        case .labels:
            let classes = OutputKey.classCount(model)
            let one = (0..<classes).map(Float.init)
            return vector(key.rawValue, Array((0..<rows).map { _ in one }.joined()), width: classes)
        case .probability, .rawScore:
            return scalar(key.rawValue, perRow { softprob ? $0.max()! : $0[$0.startIndex] })
        case .probabilities, .rawScores:
            if softprob { return vector(key.rawValue, prediction.values, width: prediction.groups) }
            let pairs = perRow { $0[$0.startIndex] }.flatMap { [1 - $0, $0] }
            return vector(key.rawValue, pairs, width: 2)
        case .predictedScore:
            if prediction.groups > 1 { return vector(key.rawValue, prediction.values, width: prediction.groups) }
            return scalar(key.rawValue, perRow { $0[$0.startIndex] })
        }
    }

    /// The first index of the largest value, as numpy's argmax picks it.
    static func argmax(_ row: ArraySlice<Float>) -> Int {
        var best = row.startIndex
        for index in row.indices where row[index] > row[best] { best = index }
        return best - row.startIndex
    }

    private func scalar(_ name: String, _ values: [Float]) -> Column {
        Column(name: name, type: ColumnType(.float), values: .double(values.map(Double.init)))
    }

    private func vector(_ name: String, _ values: [Float], width: Int) -> Column {
        let block = VectorBlock(width: width, storage: values.map(Double.init))
        return Column(name: name, type: ColumnType(.float, .vector(width: width)), values: .vector(block))
    }
}
