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
/// loops, so pipeline work never blocks network I/O; small invocations are
/// scored in the handler's task, larger ones on the `ScoringExecutor`. Lifecycle comes from
/// swift-service-lifecycle: on SIGTERM or SIGINT the server stops accepting
/// connections, finishes in-flight requests (up to the drain timeout) and
/// returns. `ServerLimits` bounds what clients can hold: time, connections,
/// body bytes in flight.
public struct ConveyorServer: Sendable {
    public let catalog: PipelineCatalog
    public let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics
    /// Rendered at `/metrics` when given.
    let prometheus: PrometheusCollectorRegistry?
    let budget: BodyBudget
    let trimmer = MemoryTrim()
    /// Where invocations decode, score and encode (see `ScoringExecutor`).
    let scoring: ScoringExecutor
    /// Open connections; which have a request in progress.
    let registry: ConnectionRegistry
    /// The pipelines given at start, with the versions hot reload adds.
    let served: ServedPipelines
    /// Multi-model loading (`/models`, `X-Amzn-SageMaker-Target-Model`); nil when off.
    let models: ModelRegistry?
    /// Hot reload (`--watch`, SIGHUP); nil when off.
    let reloading: ReloadConfiguration?

    /// `models` turns on SageMaker's multi-model routes' loading; `reload`
    /// turns on hot reload of the catalog's pipelines.
    public init(catalog: PipelineCatalog, configuration: ServerConfiguration, logger: Logger,
                metricsFactory: any MetricsFactory = MetricsSystem.factory,
                prometheus: PrometheusCollectorRegistry? = nil,
                models: ModelSource? = nil, reload: ReloadConfiguration? = nil) {
        self.catalog = catalog
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics(factory: metricsFactory, pipelines: catalog.pipelines)
        self.prometheus = prometheus
        self.budget = BodyBudget(capacity: configuration.limits.maxInflightBodyBytes)
        self.scoring = ScoringExecutor(threads: ProcessInfo.processInfo.activeProcessorCount)
        self.registry = ConnectionRegistry(
            limit: configuration.limits.effectiveMaxConnections(descriptorLimit: DescriptorLimit.raise()))
        self.served = ServedPipelines(catalog, keepVersions: reload?.keepVersions ?? 1)
        let serverMetrics = self.metrics
        self.models = models.map { ModelRegistry(source: $0, metrics: serverMetrics, logger: logger) }
        self.reloading = reload
    }

    /// The hot reload service, when `reload` was given.
    var watcher: PipelineWatcher? {
        reloading.map { PipelineWatcher(served: served, configuration: $0, metrics: metrics, logger: logger) }
    }

    /// The Hummingbird application, for `run()` and for tests.
    /// `onServerRunning` receives the bound port (useful with port 0).
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        return Application(
            router: makeRouter(),
            server: .guardedHTTP1(limits: configuration.limits, registry: registry, metrics: metrics),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "Conveyor", backlog: 4096),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then drains and returns. Connections
    /// still busy at the drain timeout are closed (`ConnectionGuard`); if a
    /// pipeline is stuck in a computation that cannot be interrupted, the
    /// process exits anyway a few seconds later (`DrainWatchdog`).
    /// `onGRPCRunning` receives the gRPC port when `configuration.grpcPort` is set.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
                    onGRPCRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let listening = ListeningFlag()
        let application = makeApplication(onServerRunning: { port in
            listening.set()
            await onServerRunning(port)
        })
        let drain = configuration.limits.drainTimeout
        let http = HTTPListener(application: application, listening: listening,
                                host: configuration.host, port: configuration.port)
        var services = [ServiceGroupConfiguration.ServiceConfiguration(
            service: DrainWatchdog(service: http, deadline: drain + .seconds(5), logger: logger))]
        if let grpcPort = configuration.grpcPort {
            // A gRPC port that cannot be bound stops the HTTP server gracefully:
            // cancelled, Hummingbird would log two errors that are not the cause.
            services.append(.init(
                service: GRPCEndpoint(server: self, host: configuration.host, port: grpcPort, onListening: onGRPCRunning),
                failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        if let watcher { services.append(.init(service: watcher)) }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = drain + .seconds(2)
        groupConfiguration.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
