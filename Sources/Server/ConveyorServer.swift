import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The real-time server: SageMaker's container contract (`/ping`,
/// `/invocations`, `/execution-parameters`) and its Runtime API
/// (`/endpoints/{name}/invocations`), plus `/metrics`.
///
/// Requests are handled in Swift concurrency tasks, not on NIO's event
/// loops, so pipeline work never blocks network I/O. Lifecycle comes from
/// swift-service-lifecycle: on SIGTERM or SIGINT the server stops accepting
/// connections, finishes in-flight requests and returns.
public struct ConveyorServer: Sendable {
    public let catalog: PipelineCatalog
    public let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics
    /// Rendered at `/metrics` when given.
    let prometheus: PrometheusCollectorRegistry?

    public init(catalog: PipelineCatalog, configuration: ServerConfiguration, logger: Logger,
                metricsFactory: any MetricsFactory = MetricsSystem.factory,
                prometheus: PrometheusCollectorRegistry? = nil) {
        self.catalog = catalog
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics(factory: metricsFactory)
        self.prometheus = prometheus
    }

    /// The Hummingbird application, for `run()` and for tests.
    /// `onServerRunning` receives the bound port (useful with port 0).
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "Conveyor"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then drains and returns.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = makeApplication(onServerRunning: onServerRunning)
        let group = ServiceGroup(configuration: .init(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
