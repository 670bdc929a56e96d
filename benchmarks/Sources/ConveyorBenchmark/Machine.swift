import Foundation

/// Facts about the machine and the build. `benchmarks/run.sh` passes what
/// only a shell knows (git, Swift, libxgboost) in BENCH_* variables.
struct Machine: Codable {
    var date: String
    var cpuModel: String
    var nproc: Int
    var loadAverageBefore: String
    var loadAverageAfter: String
    var kernel: String
    var gitCommit: String
    var gitState: String
    var swiftVersion: String
    var libxgboostVersion: String
    var build: String

    static func collect(loadBefore: String, loadAfter: String) -> Machine {
        let environment = ProcessInfo.processInfo.environment
        func env(_ name: String) -> String {
            let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return value.isEmpty ? "unknown (run via benchmarks/run.sh)" : value
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return Machine(
            date: formatter.string(from: Date()),
            cpuModel: cpuModel(),
            nproc: Int(environment["BENCH_NPROC"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount,
            loadAverageBefore: loadBefore,
            loadAverageAfter: loadAfter,
            kernel: (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown",
            gitCommit: env("BENCH_GIT_COMMIT"),
            gitState: env("BENCH_GIT_STATE"),
            swiftVersion: env("BENCH_SWIFT_VERSION"),
            libxgboostVersion: env("BENCH_XGBOOST_VERSION"),
            build: env("BENCH_BUILD"))
    }

    /// `model name` from /proc/cpuinfo (first core), with the core count.
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let models = text.split(separator: "\n").filter { $0.hasPrefix("model name") }
            .compactMap { $0.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) }
        guard let first = models.first else { return "unknown" }
        return "\(first) (\(models.count) logical CPU\(models.count == 1 ? "" : "s") in /proc/cpuinfo)"
    }

    /// The 1-, 5- and 15-minute load averages.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The 1-minute load average as a number.
    static func oneMinute(_ load: String) -> Double? {
        load.split(separator: " ").first.flatMap { Double($0) }
    }
}
