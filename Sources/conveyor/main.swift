import ConveyorCLI
import Foundation
import Logging
import Metrics
import Prometheus

// The only place that bootstraps logging and metrics. Logs go to standard
// error, so standard output carries nothing but results.
let level = ProcessInfo.processInfo.environment["CONVEYOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}
// One registry: metrics recorded anywhere in the process, rendered by
// `conveyor serve` at /metrics.
let prometheus = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: prometheus))
await ConveyorCommand.runAsRoot(prometheus: prometheus)
