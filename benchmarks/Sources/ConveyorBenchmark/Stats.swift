import Foundation

/// Monotonic nanoseconds.
@inline(__always)
func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

struct Summary: Codable {
    var median: Double
    var min: Double
    var max: Double
    /// First and third quartiles (linear interpolation).
    var q1: Double
    var q3: Double

    init(_ values: [Double]) {
        precondition(!values.isEmpty)
        let sorted = values.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        min = sorted.first!
        max = sorted.last!
        func quantile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
        q1 = quantile(0.25)
        q3 = quantile(0.75)
    }

    func scaled(_ factor: Double) -> Summary {
        var copy = self
        copy.median *= factor
        copy.min *= factor
        copy.max *= factor
        copy.q1 *= factor
        copy.q3 *= factor
        return copy
    }

    /// (max − min) / median: how far single runs strayed.
    var spread: Double { median > 0 ? (max - min) / median : 0 }
    /// (q3 − q1) / median: how settled the median is.
    var interquartileSpread: Double { median > 0 ? (q3 - q1) / median : 0 }
}

/// One variant at one batch size, over all measured runs.
struct Measurement: Codable {
    var variant: Variant
    var batchSize: Int
    var callsPerRun: Int
    var rowsPerRun: Int
    /// Wall time of each measured run (all calls), nanoseconds, in run order.
    var runNanoseconds: [UInt64]
    var microsecondsPerCall: Summary
    var microsecondsPerRow: Summary

    init(variant: Variant, batchSize: Int, calls: Int, runs: [UInt64]) {
        self.variant = variant
        self.batchSize = batchSize
        callsPerRun = calls
        rowsPerRun = calls * batchSize
        runNanoseconds = runs
        let perCall = runs.map { Double($0) / 1_000 / Double(calls) }
        microsecondsPerCall = Summary(perCall)
        microsecondsPerRow = microsecondsPerCall.scaled(1 / Double(batchSize))
    }
}

/// pipeline / raw libxgboost at one batch size.
struct Ratio: Codable {
    var batchSize: Int
    var pipelineMicrosecondsPerCall: Double
    var rawMicrosecondsPerCall: Double
    /// Per-run ratios (the variants ran side by side in each run): median, min, max.
    var pipelineOverRaw: Summary
    /// Fastest pipeline run / fastest raw run: the least disturbed runs.
    var fastestOverFastest: Double
    var goal: Double
    var met: Bool
}

/// The native engine against libxgboost on the same matrix.
struct EngineSpeedup: Codable {
    var batchSize: Int
    var engineMicrosecondsPerCall: Double
    var engineMicrosecondsPerRow: Double
    var rawMicrosecondsPerCall: Double
    /// Per-run libxgboost time / engine time: above 1 the engine is faster.
    var rawOverEngine: Summary
}

struct Preprocessing: Codable {
    var batchSize: Int
    /// CSV decode + features stage.
    var microsecondsPerRow: Summary
    var decodeMicrosecondsPerRow: Double?
    var featuresMicrosecondsPerRow: Double?
    var encodeMicrosecondsPerRow: Double?
    var goal: Double
    var met: Bool
}
