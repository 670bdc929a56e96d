import ArgumentParser
import Server

/// `conveyor serve`'s options against slow and hostile clients
/// (docs/serving.md, "Limits"); ArgumentParser prints each default.
struct ServeLimitOptions: ParsableArguments {
    @Option(help: "Seconds a new connection has to send its request head.")
    var headerTimeout: Double = 10

    @Option(help: "Seconds a kept-alive connection may wait for its next request.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds a request body has to arrive, plus one second per --min-body-rate-kb received.")
    var bodyTimeout: Double = 10

    @Option(help: "KiB per second a body must keep up to earn more time.")
    var minBodyRateKb: Int = 64

    @Option(help: "Open connections; beyond it the longest-idle one is closed, or, with none idle, the new one gets 503. Capped by the open-file limit.")
    var maxConnections: Int = 10_000

    @Option(help: "MB of request bodies held at once across all requests; a body that does not fit waits up to --body-budget-wait, then gets 503.")
    var maxInflightMb: Double = 64

    @Option(help: "Seconds a body may wait for room in --max-inflight-mb.")
    var bodyBudgetWait: Double = 2

    @Option(help: "Seconds after SIGTERM before requests still running or uploading are cut off.")
    var drainTimeout: Double = 20

    func limits() throws -> ServerLimits {
        ServerLimits(
            headerTimeout: try Self.seconds(headerTimeout, "--header-timeout"),
            idleTimeout: try Self.seconds(idleTimeout, "--idle-timeout"),
            bodyTimeout: try Self.seconds(bodyTimeout, "--body-timeout"),
            minBodyBytesPerSecond: try Self.count(minBodyRateKb, "--min-body-rate-kb", scale: 1024),
            maxConnections: try Self.count(maxConnections, "--max-connections", scale: 1),
            maxInflightBodyBytes: try Self.megabytes(maxInflightMb, "--max-inflight-mb"),
            bodyBudgetWait: try Self.seconds(bodyBudgetWait, "--body-budget-wait", allowZero: true),
            drainTimeout: try Self.seconds(drainTimeout, "--drain-timeout", allowZero: true))
    }

    /// Between 0 (or a millisecond) and a day.
    static func seconds(_ value: Double, _ name: String, allowZero: Bool = false) throws -> Duration {
        guard value.isFinite, allowZero ? value >= 0 : value >= 0.001, value <= 86_400 else {
            throw ValidationError("\(name) must be between \(allowZero ? "0" : "0.001") and 86400 seconds")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    static func count(_ value: Int, _ name: String, scale: Int) throws -> Int {
        let (scaled, overflow) = value.multipliedReportingOverflow(by: scale)
        guard value >= 1, !overflow, scaled <= 1 << 40 else { throw ValidationError("\(name) must be a positive number") }
        return scaled
    }

    static func megabytes(_ value: Double, _ name: String) throws -> Int {
        guard value.isFinite, value > 0, value <= 1_048_576, let bytes = Int(exactly: (value * 1_048_576).rounded()) else {
            throw ValidationError("\(name) must be between 0 and 1048576 MB")
        }
        return bytes
    }
}
