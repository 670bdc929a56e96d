import ConveyorCLI
import Foundation
import Logging
import Metrics
import Prometheus

// The only place that bootstraps logging and metrics. Logs go to standard
// error, so standard output carries nothing but results.
let level = ProcessInfo.processInfo.environment["CONVEYOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, level: level) }
// One registry: metrics recorded anywhere in the process, rendered by
// `conveyor serve` at /metrics.
let prometheus = PrometheusCollectorRegistry()
var metricsFactory = PrometheusMetricsFactory(registry: prometheus)
// Pipelines answer in microseconds: the default buckets start at 5 ms.
metricsFactory.defaultDurationHistogramBuckets = [
    .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
    .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(10),
]
MetricsSystem.bootstrap(metricsFactory)
await ConveyorCommand.runAsRoot(prometheus: prometheus)
