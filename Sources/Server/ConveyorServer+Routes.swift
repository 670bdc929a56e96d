import Codecs
import ConveyorCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Pipeline

extension ConveyorServer {
    static let targetContainerHeader = HTTPField.Name("X-Amzn-SageMaker-Target-Container-Hostname")!
    static let traceHeader = HTTPField.Name("X-Conveyor-Trace")!
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let amazonRequestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    static let serverTimingHeader = HTTPField.Name("Server-Timing")!
    /// Bodies over the limit are still read (and dropped) up to this many
    /// bytes, so the client sees the 413 instead of a reset connection.
    static let drainLimit = 64 * 1024 * 1024

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        // Loading happens before the server binds, so a server that
        // answers has every pipeline loaded.
        router.get("ping") { _, _ in Response(status: .ok) }
        router.get("execution-parameters") { _, _ in
            let object: [String: Any] = [
                "MaxConcurrentTransforms": configuration.maxConcurrentTransforms,
                "BatchStrategy": "MULTI_RECORD",
                "MaxPayloadInMB": max(1, configuration.maxBodyBytes / (1024 * 1024)),
            ]
            return Self.jsonResponse(ErrorResponse.json(object))
        }
        router.post("invocations") { request, context in
            await invoke(request, context: context, route: .container) { catalog.primary }
        }
        router.post("endpoints/:endpoint/invocations") { request, context in
            let name = context.parameters.get("endpoint") ?? ""
            return await invoke(request, context: context, route: .runtime) { try catalog.pipeline(named: name) }
        }
        if let prometheus {
            router.get("metrics") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(bytes: prometheus.emitToBuffer())))
            }
        }
        return router
    }

    /// Every failure is caught here and mapped by `ErrorResponse`: nothing a
    /// request contains can take the server down.
    func invoke(_ request: Request, context: BasicRequestContext, route: ErrorResponse.Route,
                pipeline choose: () throws -> Pipeline) async -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var name = "unknown"
        do {
            let pipeline = try choose()
            name = pipeline.name
            let body = try await Self.collect(request.body, limit: configuration.maxBodyBytes)
            let invocation = Invocation(
                contentType: request.headers[.contentType],
                accept: request.headers[.accept],
                targetStage: request.headers[Self.targetContainerHeader],
                trace: traceRequest(request.headers[Self.traceHeader]))
            let runner = InvocationRunner(defaultAccept: configuration.defaultAccept)
            let result = try await runner.run(pipeline, body: Array(body.readableBytesView), invocation)
            metrics.request(pipeline: name, status: 200, duration: clock.now - start, rows: result.rows,
                            stages: result.stages)
            context.logger.debug("invocation", metadata: [
                "pipeline": "\(name)", "rows": "\(result.rows)", "status": "200",
            ])
            return response(for: result, pipeline: name, invocation: invocation, requestID: context.id)
        } catch {
            let response = ErrorResponse.make(error, route: route, requestID: context.id)
            metrics.request(pipeline: name, status: Int(response.status.code), duration: clock.now - start,
                            rows: 0, stages: [])
            let level: Logger.Level = response.status.code >= 500 ? .error : .info
            context.logger.log(level: level, "invocation failed", metadata: [
                "pipeline": "\(name)", "status": "\(response.status.code)", "error": "\(error)",
            ])
            return response
        }
    }

    private func traceRequest(_ header: String?) -> Invocation.Trace {
        guard let header, configuration.trace != .off else { return .none }
        switch header.lowercased() {
        case "debug": return configuration.trace == .debug ? .debug : .timings
        case "1", "true", "on", "timings": return .timings
        default: return .none
        }
    }

    private func response(for result: InvocationResult, pipeline: String, invocation: Invocation,
                          requestID: String) -> Response {
        var headers = HTTPFields()
        if invocation.trace != .none {
            headers[Self.serverTimingHeader] = TraceResponse.serverTiming(result.stages)
        }
        if invocation.trace == .debug {
            headers[.contentType] = MediaType.json.canonical
            let body = TraceResponse.debugBody(pipeline: pipeline, requestID: requestID, result: result)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        headers[.contentType] = result.contentType.canonical
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.body)))
    }

    static func jsonResponse(_ bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = MediaType.json.canonical
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Reads the whole body, refusing more than `limit` bytes with
    /// `.payloadTooLarge` (after draining up to `drainLimit`).
    static func collect(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        var buffer = ByteBuffer()
        var total = 0
        for try await chunk in body {
            total += chunk.readableBytes
            if total > limit {
                if total > drainLimit { break }
                continue
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        guard total <= limit else {
            throw ConveyorError(
                .payloadTooLarge,
                "the request body is over the limit of \(limit) bytes (\(total > drainLimit ? "more than \(drainLimit)" : "\(total)") bytes sent)")
        }
        return buffer
    }
}
