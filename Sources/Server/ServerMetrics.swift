import CoreMetrics
import Foundation

/// The server's Prometheus series, made through a factory passed in (the
/// process-wide one that `main` bootstraps, or a test's own).
///
/// - `conveyor_requests_total{pipeline,status}`
/// - `conveyor_request_duration_seconds{pipeline}` (histogram)
/// - `conveyor_stage_duration_seconds{pipeline,stage}` (histogram)
/// - `conveyor_rows_total{pipeline}`
struct ServerMetrics: Sendable {
    let factory: any MetricsFactory

    func request(pipeline: String, status: Int, duration: Duration, rows: Int, stages: [StageTiming]) {
        Counter(label: "conveyor_requests_total",
                dimensions: [("pipeline", pipeline), ("status", String(status))], factory: factory).increment()
        Timer(label: "conveyor_request_duration_seconds", dimensions: [("pipeline", pipeline)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
        if rows > 0 {
            Counter(label: "conveyor_rows_total", dimensions: [("pipeline", pipeline)], factory: factory)
                .increment(by: rows)
        }
        for stage in stages {
            Timer(label: "conveyor_stage_duration_seconds",
                  dimensions: [("pipeline", pipeline), ("stage", stage.name)], factory: factory)
                .recordNanoseconds(Self.nanoseconds(stage.duration))
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
