import Codecs
import ConveyorCore
import Foundation

/// Before timing anything: the pipeline must give the reference answers
/// (models/car-evaluation/expected.csv), and the raw variant must compute
/// exactly what the pipeline's XGBoost stage computes.
struct Checks: Codable {
    var rowsChecked: Int
    /// Rows whose `predicted_class` differs from expected.csv's `predicted_label`.
    var classMismatches: Int
    /// Largest |pipeline probability − expected.csv prob_k|.
    var maxProbabilityErrorVsExpected: Double
    /// Largest |raw Booster.predict − pipeline probability| on the same rows.
    var maxRawVsPipelineDifference: Double

    init(workload: Workload, options: Options) async throws {
        let expectedURL = options.resolve("models/car-evaluation/expected.csv")
        let text = try String(contentsOf: expectedURL, encoding: .utf8)
        var records = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = records.removeFirst().map(String.init)
        guard let labelIndex = header.firstIndex(of: "predicted_label"),
              let probIndex = header.firstIndex(of: "prob_0")
        else { throw BenchmarkError("\(expectedURL.lastPathComponent) lacks predicted_label or prob_0") }

        let rows = workload.distinctRows
        guard records.count == rows else {
            throw BenchmarkError("\(expectedURL.lastPathComponent) has \(records.count) rows, the data \(rows)")
        }
        let pipeline = workload.pipeline
        let body = Workload.body(workload.lines[0..<rows])

        // End to end, as the benchmark calls it.
        let output = try await pipeline.predict(body, as: .csv, returning: .csv)
        let outputLines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        guard outputLines.count == rows else {
            throw BenchmarkError("the pipeline returned \(outputLines.count) lines for \(rows) rows")
        }
        var mismatches = 0
        for (line, record) in zip(outputLines, records) {
            let predicted = line.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
            if predicted != String(record[labelIndex]) { mismatches += 1 }
        }

        // Probabilities: pipeline vs reference, and raw booster vs pipeline.
        let result = try await pipeline.run(try pipeline.decoder.decode(body, as: .csv))
        guard let probabilities = try result.column("probabilities")?.vectorBlock() else {
            throw BenchmarkError("the pipeline has no 'probabilities' output")
        }
        let groups = probabilities.width
        var errorVsExpected = 0.0
        for (row, record) in records.enumerated() {
            for k in 0..<groups {
                guard let reference = Double(record[probIndex + k]) else {
                    throw BenchmarkError("\(expectedURL.lastPathComponent) row \(row + 2): bad prob_\(k)")
                }
                errorVsExpected = max(errorVsExpected, abs(probabilities[row, k] - reference))
            }
        }
        let raw = try workload.matrix.withUnsafeBufferPointer { all in
            try workload.booster.predict(UnsafeBufferPointer(rebasing: all[0..<(rows * workload.width)]), rows: rows)
        }
        guard raw.groups == groups, raw.rows == rows else {
            throw BenchmarkError("raw prediction shape \(raw.rows)×\(raw.groups) differs from the pipeline's \(rows)×\(groups)")
        }
        var rawDifference = 0.0
        for row in 0..<rows {
            for k in 0..<groups {
                rawDifference = max(rawDifference, abs(Double(raw[row, k]) - probabilities[row, k]))
            }
        }

        rowsChecked = rows
        classMismatches = mismatches
        maxProbabilityErrorVsExpected = errorVsExpected
        maxRawVsPipelineDifference = rawDifference
    }

    /// True when the numbers are worth timing.
    var passed: Bool {
        classMismatches == 0 && maxRawVsPipelineDifference == 0 && maxProbabilityErrorVsExpected < 1e-6
    }
}
