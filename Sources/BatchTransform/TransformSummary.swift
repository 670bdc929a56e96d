import Foundation

/// The end of a job, as printed and as written by `--summary FILE`.
public struct TransformSummary: Sendable, Codable, Equatable {
    /// Objects in this shard.
    public var objects: Int
    public var succeeded: Int
    /// Skipped because their output already existed.
    public var skipped: Int
    public var failed: Int
    public var records: Int
    /// Records written to `.err` with `--record-errors isolate`.
    public var failedRecords: Int
    public var bytesRead: Int64
    public var bytesWritten: Int64
    public var seconds: Double
    public var failures: [ObjectFailure]

    public var isSuccess: Bool { failed == 0 }

    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    /// Lines for people: totals, then each failed object with its record and reason.
    public func text() -> String {
        let megabytes = Double(bytesRead) / 1_048_576
        var out = "transform: \(succeeded) of \(objects) objects done, \(skipped) skipped (already complete), "
            + "\(failed) failed; \(records) records"
        if failedRecords > 0 { out += " (\(failedRecords) failed, in .err files)" }
        out += String(format: "; %.1f MB read in %.2f s (%.1f MB/s)\n", megabytes, seconds, seconds > 0 ? megabytes / seconds : 0)
        for failure in failures {
            out += "failed: \(failure.object)"
            if let record = failure.record { out += " record \(record)" }
            out += ": \(failure.reason)\n"
        }
        return out
    }
}
