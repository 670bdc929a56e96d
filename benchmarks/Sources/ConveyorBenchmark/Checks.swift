import Codecs
import ConveyorCore
import ConveyorTestSupport
import Foundation

/// Before timing anything: the pipeline must give the reference answers
/// (models/car-evaluation/expected.csv), and the raw variant must compute
/// exactly what the pipeline's XGBoost stage computes.
struct Checks: Codable {
    var rowsChecked: Int
    /// Rows whose `predicted_class` differs from expected.csv's `predicted_label`.
    var classMismatches: Int
    /// Largest |pipeline probability − expected.csv prob_k| over finite pairs.
    var maxProbabilityErrorVsExpected: Double
    /// Largest |raw Booster.predict − pipeline probability| on the same rows, over finite pairs.
    var maxRawVsPipelineDifference: Double
    /// The comparisons' verdicts (the tests' shared NaN-safe comparison: NaN,
    /// an infinity or a count mismatch fails even where the maxima above are 0).
    var probabilityCheck: String
    var rawCheck: String
    var probabilitiesMatch: Bool
    var rawMatchesPipeline: Bool
    /// The native engine against libxgboost, bit for bit (`Booster.predict` vs `libraryPredict`).
    var engineCheck: String
    var engineMatchesRaw: Bool
    /// Explanations: per row and class, base + Σ columns against the engine's margin
    /// (the attributions themselves are checked against XGBoost's by the tests).
    var explanationCheck: String
    var explanationsAddUp: Bool

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
        guard records.allSatisfy({ $0.count >= probIndex + groups }) else {
            throw BenchmarkError("\(expectedURL.lastPathComponent): a row lacks prob_0..prob_\(groups - 1)")
        }
        let vsExpected = NumericComparison(
            probabilities.storage.map(ComparedValue.number),
            records.flatMap { $0[probIndex..<(probIndex + groups)].map { ComparedValue(parsing: $0) } },
            tolerance: .absolute(1e-6), columns: groups, label: "pipeline probabilities vs expected.csv")
        let (raw, engine) = try workload.matrix.withUnsafeBufferPointer { all in
            let slice = UnsafeBufferPointer(rebasing: all[0..<(rows * workload.width)])
            return (try workload.booster.libraryPredict(slice, rows: rows), try workload.booster.predict(slice, rows: rows))
        }
        guard raw.groups == groups, raw.rows == rows else {
            throw BenchmarkError("raw prediction shape \(raw.rows)×\(raw.groups) differs from the pipeline's \(rows)×\(groups)")
        }
        // The stage computes in float32 and widens: bit-identical to the raw booster.
        let rawVsPipeline = NumericComparison(raw.values, probabilities.storage, tolerance: .exact, columns: groups,
                                              label: "raw booster vs pipeline")

        let engineVsRaw = NumericComparison(engine.values.map(Double.init), raw.values.map(Double.init), tolerance: .exact, columns: groups,
                                            label: "native engine vs libxgboost")
        engineCheck = engineVsRaw.description
        engineMatchesRaw = engineVsRaw.matches && engine.values.map(\.bitPattern) == raw.values.map(\.bitPattern)

        // Explanations add up to the margins the engine predicts, row by row and class by class.
        let (_, explanation) = try await pipeline.explain(try pipeline.decoder.decode(body, as: .csv))
        let margins = try workload.matrix.withUnsafeBufferPointer { all in
            try workload.booster.predict(UnsafeBufferPointer(rebasing: all[0..<(rows * workload.width)]), rows: rows,
                                         output: .margin)
        }
        let outputs = explanation.outputs.count
        let sums = (0..<(rows * outputs)).map { index -> Double in
            let (row, output) = index.quotientAndRemainder(dividingBy: outputs)
            let base = explanation.base(row: row)
            return base[base.startIndex + output] + explanation.columns.indices.reduce(0) { total, column in
                let values = explanation.attribution(row: row, column: column)
                return total + values[values.startIndex + output]
            }
        }
        let additivity = NumericComparison(sums, margins.values.map(Double.init),
                                           tolerance: NumericTolerance(absolute: 1e-5, relative: 1e-6), columns: outputs,
                                           label: "explanations: base + Σ columns vs margins")
        explanationCheck = additivity.description
        explanationsAddUp = additivity.matches && explanation.columns == pipeline.inputs.map(\.name)
        rowsChecked = rows
        classMismatches = mismatches
        maxProbabilityErrorVsExpected = vsExpected.worstDifference
        maxRawVsPipelineDifference = rawVsPipeline.worstDifference
        probabilityCheck = vsExpected.description
        rawCheck = rawVsPipeline.description
        probabilitiesMatch = vsExpected.matches
        rawMatchesPipeline = rawVsPipeline.matches
    }

    /// True when the numbers are worth timing.
    var passed: Bool {
        classMismatches == 0 && probabilitiesMatch && rawMatchesPipeline && engineMatchesRaw && explanationsAddUp
    }
}
