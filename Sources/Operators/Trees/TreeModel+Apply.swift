import ConveyorCore
import Foundation

extension TreeModel {
    public var isClassifier: Bool { numClasses > 0 }

    public func apply(to frame: inout Frame, stage: String) throws {
        let (block, nulls) = try Inputs.vectors(frame, columns.features, width: numFeatures, stage: stage)
        // Spark's tree models fail on a null feature vector (their UDFs read it), as the other predictors do.
        if let row = nulls?.firstIndex(of: true) {
            throw invalidRow("the feature vector is null", frame, row: row, column: columns.features, stage: stage)
        }
        try putPredictions(block, nulls: nulls, into: &frame)
        // Spark adds leafCol after the prediction columns.
        if let leaves { try leaves.put(block, nulls: nulls, into: &frame) }
    }

    private func putPredictions(_ block: VectorBlock, nulls: [Bool]?, into frame: inout Frame) throws {
        let rows = block.rowCount
        var sums = [Double](repeating: 0, count: rows * engine.groups)
        block.storage.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { engine.margins(x, rows: rows, into: $0) }
        }
        guard isClassifier else {
            if combination == .mean {
                let trees = Double(treeCount)
                for row in 0..<rows { sums[row] /= trees }
            }
            if let name = columns.prediction { try frame.put(.doubles(name, sums, nulls: nulls)) }
            return
        }
        let k = numClasses
        var raw = VectorBlock(width: k, rows: rows)
        let needsProbability = columns.probability != nil || (columns.prediction != nil && thresholds != nil)
        var probability = VectorBlock(width: k, rows: needsProbability ? rows : 0)
        var prediction = [Double](repeating: 0, count: columns.prediction == nil ? 0 : rows)
        raw.storage.withUnsafeMutableBufferPointer { r in
            probability.storage.withUnsafeMutableBufferPointer { p in
                for row in 0..<rows {
                    let first = row * k
                    writeRaw(sums, row: row, into: r, at: first)
                    if needsProbability { writeProbability(UnsafeBufferPointer(r), p, at: first) }
                    if !prediction.isEmpty {
                        prediction[row] = predict(raw: UnsafeBufferPointer(rebasing: r[first..<(first + k)]),
                                                  probability: needsProbability
                                                      ? UnsafeBufferPointer(rebasing: p[first..<(first + k)]) : nil)
                    }
                }
            }
        }
        func vectors(_ name: String, _ block: VectorBlock) -> Column {
            Column(name: name, type: .vector(k), values: .vector(block), nulls: nulls)
        }
        if let name = columns.rawPrediction { try frame.put(vectors(name, raw)) }
        if let name = columns.probability { try frame.put(vectors(name, probability)) }
        if let name = columns.prediction { try frame.put(.doubles(name, prediction, nulls: nulls)) }
    }

    /// One row's raw prediction from the engine's sums.
    private func writeRaw(_ sums: [Double], row: Int, into raw: UnsafeMutableBufferPointer<Double>, at first: Int) {
        if combination == .logistic {
            let margin = sums[row]
            raw[first] = -margin
            raw[first + 1] = margin
        } else {
            for index in 0..<numClasses { raw[first + index] = sums[row * numClasses + index] }
        }
    }

    /// Spark's `raw2probability`: σ(2m) for GBT, the raw vector normalized
    /// (left as it is when it sums to 0) for trees and forests.
    private func writeProbability(_ raw: UnsafeBufferPointer<Double>, _ p: UnsafeMutableBufferPointer<Double>,
                                  at first: Int) {
        if combination == .logistic {
            let p0 = 1 / (1 + exp(-2 * raw[first]))
            p[first] = p0
            p[first + 1] = 1 - p0
            return
        }
        let row = UnsafeMutableBufferPointer(rebasing: p[first..<(first + numClasses)])
        for index in 0..<numClasses { row[index] = raw[first + index] }
        Classification.normalize(row)
    }

    /// Spark's `transform`: with thresholds, the largest p / threshold;
    /// else the argmax of the probability when that column is written, of
    /// the raw prediction otherwise (for GBT, m > 0).
    private func predict(raw: UnsafeBufferPointer<Double>, probability: UnsafeBufferPointer<Double>?) -> Double {
        if let thresholds, let probability { return Classification.thresholded(probability, thresholds) }
        if columns.probability != nil, let probability { return Double(Classification.argmax(probability)) }
        return Double(Classification.argmax(raw))
    }

    /// One row's raw prediction, for callers that score row by row (one-vs-rest).
    public func rawPrediction(_ x: ArraySlice<Double>, into raw: inout [Double]) {
        precondition(x.count == numFeatures && raw.count == numClasses)
        let sums = engine.margins(Array(x), rows: 1)
        raw.withUnsafeMutableBufferPointer { writeRaw(sums, row: 0, into: $0, at: 0) }
    }

    /// One row's probabilities from its raw prediction, in place.
    public func probability(_ values: inout [Double]) {
        precondition(values.count == numClasses)
        let raw = values
        raw.withUnsafeBufferPointer { r in values.withUnsafeMutableBufferPointer { writeProbability(r, $0, at: 0) } }
    }
}
