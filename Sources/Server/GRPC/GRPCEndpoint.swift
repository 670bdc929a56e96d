import ConveyorCore
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The gRPC listener (`conveyor serve --grpc-port`), a service in the same
/// group as the HTTP server: it starts with it and, on SIGTERM, stops
/// taking new calls and finishes those in flight.
struct GRPCEndpoint: Service {
    let server: ConveyorServer
    let host: String
    let port: Int
    /// Receives the bound port (useful with port 0).
    let onListening: @Sendable (Int) async -> Void

    func run() async throws {
        let limits = server.configuration.limits
        let transport = HTTP2ServerTransport.Posix(
            address: host.contains(":") ? .ipv6(host: host, port: port)
                : .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                // Messages up to 4× --max-payload-mb are read and, when their tensors are over the
                // limit, refused with RESOURCE_EXHAUSTED saying so (`InferenceService.modelInfer`);
                // larger ones are cut off by the transport (RST_STREAM: the client sees CANCELLED).
                config.rpc.maxRequestPayloadSize = min(server.configuration.maxBodyBytes, Int.max / 4) * 4
                config.connection.maxIdleTime = limits.idleTimeout
            })
        let grpc = GRPCServer(transport: transport, services: [InferenceService(server: server)])
        var listening = false
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await grpc.serve() }
                    // Not bound (the port is taken, …): serve() throws why, below.
                    guard let address = try? await transport.listeningAddress else { return }
                    listening = true
                    let bound = address.ipv4?.port ?? address.ipv6?.port ?? port
                    server.logger.info("gRPC listening", metadata: ["address": "\(host):\(bound)"])
                    await onListening(bound)
                }
            } onGracefulShutdown: {
                grpc.beginGracefulShutdown()
            }
        } catch let error as RuntimeError where !listening {
            // Starting failed (a bind error, as the transport's cause): say where and why.
            throw ConveyorError.listenFailed("the gRPC service", host: host, port: port, option: "--grpc-port",
                                             reason: error.cause ?? error)
        }
    }
}
