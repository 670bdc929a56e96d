import CoreMetrics
import Foundation

/// The server's Prometheus series, made through a factory passed in (the
/// process-wide one that `main` bootstraps, or a test's own).
///
/// - `conveyor_requests_total{pipeline,status}`
/// - `conveyor_request_duration_seconds{pipeline}` (histogram)
/// - `conveyor_stage_duration_seconds{pipeline,stage}` (histogram)
/// - `conveyor_rows_total{pipeline}`
/// - `conveyor_connection_events_total{event}`: connections refused,
///   evicted or closed by a timeout, malformed heads, drain cut-offs
///
/// Handles are made once per label set and kept, so a request costs a
/// dictionary lookup per series instead of a registry lookup and an allocation.
final class ServerMetrics: @unchecked Sendable {
    let factory: any MetricsFactory
    private let lock = NSLock()
    private var counters: [String: Counter] = [:]
    private var timers: [String: CoreMetrics.Timer] = [:]

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func request(pipeline: String, status: Int, duration: Duration, rows: Int, stages: [StageTiming]) {
        lock.withLock {
            counter("conveyor_requests_total", [("pipeline", pipeline), ("status", String(status))]).increment()
            timer("conveyor_request_duration_seconds", [("pipeline", pipeline)])
                .recordNanoseconds(Self.nanoseconds(duration))
            if rows > 0 {
                counter("conveyor_rows_total", [("pipeline", pipeline)]).increment(by: rows)
            }
            for stage in stages {
                timer("conveyor_stage_duration_seconds", [("pipeline", pipeline), ("stage", stage.name)])
                    .recordNanoseconds(Self.nanoseconds(stage.duration))
            }
        }
    }

    func connectionEvent(_ event: String) {
        lock.withLock { counter("conveyor_connection_events_total", [("event", event)]).increment() }
    }

    /// Call with the lock held.
    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = Self.key(label, dimensions)
        if let counter = counters[key] { return counter }
        let counter = Counter(label: label, dimensions: dimensions, factory: factory)
        counters[key] = counter
        return counter
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        let key = Self.key(label, dimensions)
        if let timer = timers[key] { return timer }
        let timer = CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory)
        timers[key] = timer
        return timer
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.reduce(label) { $0 + "\u{0}" + $1.1 }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
