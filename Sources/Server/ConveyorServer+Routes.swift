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
    static let explainHeader = HTTPField.Name("X-Conveyor-Explain")!
    static let enableExplanationsHeader = HTTPField.Name("X-Amzn-SageMaker-Enable-Explanations")!
    static let targetModelHeader = HTTPField.Name("X-Amzn-SageMaker-Target-Model")!
    static let pipelineVersionHeader = HTTPField.Name("X-Conveyor-Pipeline-Version")!
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let amazonRequestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    static let serverTimingHeader = HTTPField.Name("Server-Timing")!
    /// Bodies over the limit are still read (and dropped) up to this many
    /// bytes, so the client sees the 413 instead of a reset connection;
    /// beyond it the connection is closed after the 413.
    static let drainLimit = 64 * 1024 * 1024
    /// Bodies at least this large trim the heap when the last one is done.
    static let trimThreshold = 1024 * 1024

    func makeRouter() -> Router<BasicRequestContext> {
        // HEAD wherever GET (load balancers probe /ping with either).
        let router = Router(options: .autoGenerateHeadEndpoints)
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
            guard let target = request.headers.value(of: Self.targetModelHeader) else {
                return await invoke(request, context: context, route: .container, chosen: served.primary)
            }
            return await invoke(request, context: context, route: .container) { try await resolve(target: target) }
        }
        router.post("endpoints/:endpoint/invocations") { request, context in
            let name = context.parameters.get("endpoint") ?? ""
            return await invoke(request, context: context, route: .runtime) {
                // With a TargetModel the server is one multi-model endpoint: the name is not checked.
                if let target = request.headers.value(of: Self.targetModelHeader) { return try await resolve(target: target) }
                return try pipeline(named: name)
            }
        }
        addInferenceProtocolRoutes(to: router)
        addModelRoutes(to: router)
        router.get("openapi.yaml") { _, _ in Self.openAPIResponse() }
        router.get("openapi.json") { _, context in openAPIJSONResponse(requestID: context.id) }
        if let prometheus {
            router.get("metrics") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(bytes: prometheus.emitToBuffer())))
            }
        }
        // Last: it then wraps only requests no route matched.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }

    /// Every failure is caught here and mapped by `ErrorResponse`: nothing a
    /// request contains can take the server down.
    ///
    /// Where the work runs: Hummingbird runs handlers on Swift's pool, off
    /// the event loops. A lone request with a body of at most
    /// `inlineScoringBytes` is decoded, scored and encoded right there, in
    /// the handler's task: the hop to the `ScoringExecutor` and back costs
    /// two thread switches, as much as a one-row pipeline. Anything larger,
    /// debug traces, and requests while other connections have requests in
    /// progress move to the `ScoringExecutor`, so long computations never hold the
    /// pool's few threads (which `/ping` and body reading need).
    func invoke(_ request: Request, context: BasicRequestContext, route: ErrorResponse.Route,
                pipeline choose: () async throws -> ServedPipeline) async -> Response {
        let start = ContinuousClock.now
        let chosen: ServedPipeline
        do {
            chosen = try await choose()
        } catch {
            return failed(error, request, context: context, route: route, pipeline: "unknown", since: start)
        }
        return await invoke(request, context: context, route: route, chosen: chosen, since: start)
    }

    /// `invoke` with the pipeline already chosen (`/invocations` without a
    /// target model: the first pipeline, no lookup that can fail).
    ///
    /// A lone small request runs straight through: no closure, no copy of
    /// the server, no task executor (each showed in the instructions a
    /// request costs, benchmarks/server/README.md).
    func invoke(_ request: Request, context: BasicRequestContext, route: ErrorResponse.Route,
                chosen: ServedPipeline, since start: ContinuousClock.Instant = .now) async -> Response {
        // A multi-model pipeline stays counted as in use until its answer is built.
        defer { chosen.release?() }
        let pipeline = chosen.pipeline
        do {
            let body = try await readBody(request)
            defer { releaseBody(body) }
            let invocation = Invocation(
                contentType: request.headers.value(of: .contentType),
                accept: request.headers.value(of: .accept),
                targetStage: request.headers.value(of: Self.targetContainerHeader),
                trace: traceRequest(request.headers.value(of: Self.traceHeader)),
                explain: try Self.explainRequest(conveyor: request.headers.value(of: Self.explainHeader),
                                                 sageMaker: request.headers.value(of: Self.enableExplanationsHeader)))
            // Only debug traces show the request id in the body.
            let requestID = invocation.trace == .debug ? context.id : ""
            // This request's own connection is one of the busy ones.
            let othersBusy = registry.busyConnections - 1
            let (result, response) = try await Self.scoresInline(bodyBytes: body.bytes.count, trace: invocation.trace,
                                                                 limit: configuration.limits.inlineScoringBytes,
                                                                 othersBusy: othersBusy)
                ? score(chosen, body: body.bytes, invocation, route: route, requestID: requestID)
                : withTaskExecutorPreference(scoring) { [self] in
                    try await score(chosen, body: body.bytes, invocation, route: route, requestID: requestID)
                }
            metrics.request(pipeline: pipeline.name, route: route, status: 200, duration: .now - start,
                            rows: result.rows, stages: result.stages)
            context.logger.debug("invocation", metadata: [
                "pipeline": "\(pipeline.name)", "rows": "\(result.rows)", "status": "200",
            ])
            return response
        } catch {
            return failed(error, request, context: context, route: route, pipeline: pipeline.name, since: start)
        }
    }

    /// Decodes, runs and encodes one body, and builds its response.
    private func score(_ chosen: ServedPipeline, body: [UInt8], _ invocation: Invocation, route: ErrorResponse.Route,
                       requestID: String) async throws -> (InvocationResult, Response) {
        let runner = InvocationRunner(defaultAccept: configuration.defaultAccept,
                                      chunkBytes: configuration.limits.scoringChunkBytes,
                                      microBatching: configuration.microBatching)
        let pipeline = chosen.pipeline
        let result = route == .inferenceProtocol
            ? try await runner.runInference(pipeline, version: String(chosen.version), body: body, invocation)
            : try await runner.run(pipeline, body: body, invocation)
        var response = response(for: result, pipeline: pipeline.name, invocation: invocation, requestID: requestID)
        response.headers[Self.pipelineVersionHeader] = String(chosen.version)
        return (result, response)
    }

    /// The error response for a failed invocation, counted and logged.
    private func failed(_ error: any Error, _ request: Request, context: BasicRequestContext, route: ErrorResponse.Route,
                        pipeline name: String, since start: ContinuousClock.Instant) -> Response {
        var response = ErrorResponse.make(error, route: route, requestID: context.id)
        let conveyorError = recordFailure(error, pipeline: name, route: route, duration: .now - start,
                                          logger: context.logger)
        if conveyorError.code == .payloadTooLarge,
           let declared = request.headers.value(of: .contentLength).flatMap({ Int($0) }), declared > Self.drainLimit {
            // Not worth reading to the end: answer and close.
            response.headers[.connection] = "close"
        }
        return response
    }

    /// A failed invocation counted in the metrics by its status and logged
    /// (errors at 5xx), for every route; returns the error as it is reported.
    func recordFailure(_ error: any Error, pipeline: String, route: ErrorResponse.Route, duration: Duration,
                       logger: Logger) -> ConveyorError {
        let conveyorError = ErrorResponse.bounded(ConveyorError.wrap(error, code: .internal))
        let status = ErrorResponse.status(for: conveyorError).code
        metrics.request(pipeline: pipeline, route: route, status: status, duration: duration, rows: 0, stages: [])
        logger.log(level: status >= 500 ? .error : .info, "invocation failed", metadata: [
            "pipeline": "\(pipeline)", "route": "\(route.label)", "status": "\(status)", "error": "\(conveyorError)",
        ])
        return conveyorError
    }

    /// Whether a request is scored in its own task: a small body (see
    /// `ServerLimits.inlineScoringBytes`) without a debug trace (whose JSON
    /// rendering of every stage's frame is not small), while no other
    /// connection has a request in progress. Under concurrent load the
    /// scoring threads take the requests back to back, which measured
    /// faster per request than interleaving each pipeline with HTTP work
    /// on one thread (benchmarks/server/README.md).
    static func scoresInline(bodyBytes: Int, trace: Invocation.Trace, limit: Int, othersBusy: Int) -> Bool {
        bodyBytes <= limit && trace != .debug && othersBusy <= 0
    }

    /// Gives the body's bytes back to the budget; after a large body, asks
    /// malloc to return freed memory to the system once nothing is in flight.
    private func releaseBody(_ body: HeldBody) {
        budget.release(body.reserved)
        if body.reserved >= Self.trimThreshold, budget.bytesInUse == 0 {
            trimmer.trim()
        }
    }

    /// `X-Conveyor-Explain: 1` asks for each row's explanation. SageMaker's
    /// header holds a JMESPath condition on the prediction; Conveyor's
    /// explanations are exact and cheap, so only the constant conditions
    /// (boto3's `EnableExplanations='`true`'`) are taken, anything else is a 400.
    static func explainRequest(conveyor: String?, sageMaker: String?) throws -> Invocation.Explain {
        if let sageMaker {
            switch sageMaker.trimmingCharacters(in: .whitespaces) {
            case "`true`": return .clarify
            case "`false`": break
            default:
                throw ConveyorError(.invalidRequest, "X-Amzn-SageMaker-Enable-Explanations: only the constant "
                    + "conditions `true` and `false` are supported, not \(sageMaker.prefix(100))")
            }
        }
        switch conveyor?.lowercased() {
        case "1", "true", "on": return .rows
        case nil, "0", "false", "off": return .none
        default:
            throw ConveyorError(.invalidRequest, "X-Conveyor-Explain takes 1 or 0, not \(conveyor?.prefix(100) ?? "")")
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
        // Room for every field the answer ends up with (its own, the request
        // ids, Content-Length, Date and Server): one allocation, not four.
        var headers = HTTPFields()
        headers.reserveCapacity(8)
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
}
