import CoreMetrics
import Foundation
import Pipeline

/// The server's Prometheus series, made through a factory passed in (the
/// process-wide one that `main` bootstraps, or a test's own).
///
/// - `conveyor_requests_total{pipeline,route,status}`
/// - `conveyor_request_duration_seconds{pipeline,route}` (histogram)
/// - `conveyor_stage_duration_seconds{pipeline,stage}` (histogram)
/// - `conveyor_rows_total{pipeline}`
/// - `conveyor_connection_events_total{event}`: connections refused,
///   evicted or closed by a timeout, malformed heads, drain cut-offs
/// - `conveyor_model_events_total{event}`: multi-model `loaded`,
///   `unloaded`, `evicted` (to make room), `refused` (507), `load_failed`
/// - `conveyor_model_memory_bytes`: estimated bytes of loaded models
/// - `conveyor_pipeline_reloads_total{result}`: hot reloads, `ok` or `failed`
/// - `conveyor_pipeline_version{pipeline}`: each pipeline's default version
///
/// `route` is the route's path pattern: `/invocations`,
/// `/endpoints/{name}/invocations` or `/v2/models/{name}/infer`.
///
/// A served pipeline's series for successful requests are made once, when
/// the server is built (`PipelineSeries`), and read without a lock; other
/// label sets (error statuses, connection events) are made on first use
/// and kept, so a request never costs a registry lookup.
final class ServerMetrics: @unchecked Sendable {
    let factory: any MetricsFactory
    private let lock = NSLock()
    private var counters: [String: Counter] = [:]
    private var timers: [String: CoreMetrics.Timer] = [:]
    private var gauges: [String: Gauge] = [:]
    /// Written only in `init`.
    private var prepared: [String: PipelineSeries] = [:]

    init(factory: any MetricsFactory, pipelines: [Pipeline] = []) {
        self.factory = factory
        for pipeline in pipelines {
            prepared[pipeline.name] = PipelineSeries(pipeline: pipeline, factory: factory)
        }
    }

    /// The series of one served pipeline's successful requests, made once
    /// (per route for the request series).
    struct PipelineSeries: Sendable {
        /// By `Route.rawValue`: indexed, not hashed, per request.
        let ok: [Counter]
        let duration: [CoreMetrics.Timer]
        let rows: Counter
        /// By the stage's position: indexed, not hashed, per request; a
        /// timing counts here only if the stage at its position has its name
        /// (another version of the pipeline may order its stages otherwise).
        let stages: [(name: String, timer: CoreMetrics.Timer)]

        init(pipeline: Pipeline, factory: any MetricsFactory) {
            let name = pipeline.name
            let routes = ErrorResponse.Route.allCases
            assert(routes.map(\.rawValue) == Array(routes.indices), "routes numbered from 0 in order")
            ok = routes.map { route in
                Counter(label: "conveyor_requests_total",
                        dimensions: [("pipeline", name), ("route", route.label), ("status", "200")], factory: factory)
            }
            duration = routes.map { route in
                CoreMetrics.Timer(label: "conveyor_request_duration_seconds",
                                  dimensions: [("pipeline", name), ("route", route.label)], factory: factory)
            }
            rows = Counter(label: "conveyor_rows_total", dimensions: [("pipeline", name)], factory: factory)
            stages = pipeline.stages.map { stage in
                (stage.name, CoreMetrics.Timer(label: "conveyor_stage_duration_seconds",
                                               dimensions: [("pipeline", name), ("stage", stage.name)], factory: factory))
            }
        }
    }

    func request(pipeline: String, route: ErrorResponse.Route, status: Int, duration: Duration, rows: Int, stages: [StageTiming]) {
        if status == 200, let series = prepared[pipeline] {
            series.ok[route.rawValue].increment()
            series.duration[route.rawValue].recordNanoseconds(Self.nanoseconds(duration))
            if rows > 0 { series.rows.increment(by: rows) }
            for stage in stages {
                guard series.stages.indices.contains(stage.index), series.stages[stage.index].name == stage.name else {
                    lock.withLock { recordStage(pipeline: pipeline, stage) }
                    continue
                }
                series.stages[stage.index].timer.recordNanoseconds(Self.nanoseconds(stage.duration))
            }
            return
        }
        lock.withLock {
            counter("conveyor_requests_total", [("pipeline", pipeline), ("route", route.label), ("status", String(status))])
                .increment()
            timer("conveyor_request_duration_seconds", [("pipeline", pipeline), ("route", route.label)])
                .recordNanoseconds(Self.nanoseconds(duration))
            if rows > 0 {
                counter("conveyor_rows_total", [("pipeline", pipeline)]).increment(by: rows)
            }
            for stage in stages { recordStage(pipeline: pipeline, stage) }
        }
    }

    func connectionEvent(_ event: String) {
        lock.withLock { counter("conveyor_connection_events_total", [("event", event)]).increment() }
    }

    func modelEvent(_ event: String, usedBytes: Int) {
        lock.withLock {
            counter("conveyor_model_events_total", [("event", event)]).increment()
            gauge("conveyor_model_memory_bytes", []).record(usedBytes)
        }
    }

    func reload(_ result: String) {
        lock.withLock { counter("conveyor_pipeline_reloads_total", [("result", result)]).increment() }
    }

    func pipelineVersion(_ pipeline: String, _ version: Int) {
        lock.withLock { gauge("conveyor_pipeline_version", [("pipeline", pipeline)]).record(version) }
    }

    /// Call with the lock held.
    private func recordStage(pipeline: String, _ stage: StageTiming) {
        timer("conveyor_stage_duration_seconds", [("pipeline", pipeline), ("stage", stage.name)])
            .recordNanoseconds(Self.nanoseconds(stage.duration))
    }

    /// Call with the lock held.
    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = Self.key(label, dimensions)
        if let counter = counters[key] { return counter }
        let counter = Counter(label: label, dimensions: dimensions, factory: factory)
        counters[key] = counter
        return counter
    }

    /// Call with the lock held.
    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        let key = Self.key(label, dimensions)
        if let gauge = gauges[key] { return gauge }
        let gauge = Gauge(label: label, dimensions: dimensions, factory: factory)
        gauges[key] = gauge
        return gauge
    }

    /// Call with the lock held.
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
