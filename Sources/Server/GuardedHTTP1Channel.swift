import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with a `ConnectionGuard` after the
/// HTTP decoder and admission through the `ConnectionRegistry`.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let limits: ServerLimits
    let registry: ConnectionRegistry
    let metrics: ServerMetrics

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (admission, ticket) = registry.admit(channel)
        let limits = self.limits
        let registry = self.registry
        let metrics = self.metrics
        if admission == .admittedByEvicting { metrics.connectionEvent("evicted_idle") }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let guardHandler = ConnectionGuard(limits: limits, registry: registry, ticket: ticket,
                                               admitted: admission != .refused, metrics: metrics, logger: logger)
            try channel.pipeline.syncOperations.addHandler(guardHandler, position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Conveyor's connection guard (see `ConnectionGuard`).
    static func guardedHTTP1(limits: ServerLimits, registry: ConnectionRegistry, metrics: ServerMetrics) -> HTTPServerBuilder {
        .init { responder in
            GuardedHTTP1Channel(
                inner: HTTP1Channel(responder: responder, configuration: .init()),
                limits: limits, registry: registry, metrics: metrics)
        }
    }
}
