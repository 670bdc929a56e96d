import ConveyorCore
import TreeEngine

extension LightGBMModel {
    /// Rows mapped per block: the block's values stay in cache.
    static func blockRows(width: Int) -> Int { max(1, min(256, 32_768 / max(1, width))) }

    /// LightGBM's `predict(raw_score=True)` for `rows` rows of a row-major
    /// matrix of `numFeature` columns (NaN is missing), into `out`
    /// (`rows × outputs`, row-major).
    public func rawScores(_ features: UnsafeBufferPointer<Double>, rows: Int,
                          into out: UnsafeMutableBufferPointer<Double>) throws(ConveyorError) {
        let (values, o1) = rows.multipliedReportingOverflow(by: numFeature)
        let (scores, o2) = rows.multipliedReportingOverflow(by: outputs)
        guard rows >= 0, !o1, !o2, features.count == values, out.count == scores else {
            throw ConveyorError(.invalidInput, "expected \(rows) rows of \(numFeature) LightGBM features "
                                    + "(got \(features.count) values) and room for their scores")
        }
        guard rows > 0, let input = features.baseAddress, let output = out.baseAddress else { return }
        let width = numFeature
        let trees = linearLeaves?.treeCount ?? 0
        // Linear models also keep one leaf index per tree and row.
        let block = Self.blockRows(width: max(width, trees))
        withUnsafeTemporaryAllocation(of: Double.self, capacity: block * width) { mapped in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: linearLeaves == nil ? 0 : block * width) { plain in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: block * trees) { leaves in
            var start = 0
            while start < rows {
                let count = min(block, rows - start)
                let values = input + start * width
                map(values, rows: count, into: mapped)
                let rowsIn = UnsafeBufferPointer(rebasing: mapped[0..<(count * width)])
                if let kernel = linearLeaves {
                    guard let plainRows = plain.baseAddress, let leafRows = leaves.baseAddress else { return }
                    for index in 0..<(count * width) {
                        let x = values[index]
                        plain[index] = x.magnitude <= InputMapping.zeroThreshold ? 0 : x
                    }
                    ensemble.margins(rowsIn, rows: count, into: UnsafeMutableBufferPointer(rebasing: leaves[0..<(count * trees)]))
                    for row in 0..<count {
                        let sums = output + (start + row) * outputs
                        for group in 0..<outputs { sums[group] = 0 }
                        kernel.add(row: UnsafePointer(plainRows + row * width),
                                   leaves: UnsafePointer(leafRows + row * trees), into: sums)
                    }
                } else {
                    ensemble.margins(rowsIn, rows: count,
                                     into: UnsafeMutableBufferPointer(start: output + start * outputs, count: count * outputs))
                }
                start += count
            }
        }}}
    }

    /// `rows` rows of raw feature values as the trees see them (`InputMapping`), into `mapped`.
    func map(_ values: UnsafePointer<Double>, rows: Int, into mapped: UnsafeMutableBufferPointer<Double>) {
        let width = numFeature
        for row in 0..<rows {
            for feature in 0..<width {
                mapped[row * width + feature] = inputs[feature].map(values[row * width + feature])
            }
        }
    }

    /// LightGBM's `predict`: the raw scores, divided by the iterations for
    /// `average_output` models, then the objective's transform.
    public func predictions(_ features: UnsafeBufferPointer<Double>, rows: Int,
                            into out: UnsafeMutableBufferPointer<Double>) throws(ConveyorError) {
        try rawScores(features, rows: rows, into: out)
        convert(rawScores: out, rows: rows)
    }

    /// What `predict` does after the raw scores: `average_output`, then the
    /// objective's transform, in place on `rows × outputs` values.
    public func convert(rawScores out: UnsafeMutableBufferPointer<Double>, rows: Int) {
        guard rows > 0, out.count >= rows * outputs else { return }
        let divisor = Double(iterations)
        for row in 0..<rows {
            let values = UnsafeMutableBufferPointer(rebasing: out[(row * outputs)..<((row + 1) * outputs)])
            if averageOutput {
                for index in values.indices { values[index] /= divisor }
            }
            objective.apply(values)
        }
    }

    public func rawScores(_ features: [Double], rows: Int) throws(ConveyorError) -> [Double] {
        try run(features, rows: rows) { (input, out) throws(ConveyorError) in try rawScores(input, rows: rows, into: out) }
    }

    public func predictions(_ features: [Double], rows: Int) throws(ConveyorError) -> [Double] {
        try run(features, rows: rows) { (input, out) throws(ConveyorError) in try predictions(input, rows: rows, into: out) }
    }

    private func run(_ features: [Double], rows: Int,
                     _ body: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws(ConveyorError) -> Void)
        throws(ConveyorError) -> [Double] {
        let (count, overflow) = rows.multipliedReportingOverflow(by: outputs)
        guard rows >= 0, !overflow else { throw ConveyorError(.invalidInput, "\(rows) rows are out of range") }
        var out = [Double](repeating: 0, count: count)
        var failure: ConveyorError?
        features.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { buffer in
                do throws(ConveyorError) { try body(input, buffer) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return out
    }
}
