import ConveyorCore
import Logging
import NIOCore
import NIOHTTP1

/// Put into a request's body stream by `ConnectionGuard`; the body reader
/// turns them into 408 and 503 answers.
enum ConnectionGuardError: Error, Sendable {
    case bodyTimeout
    case draining
}

/// Sits between NIO's HTTP/1 decoder and Hummingbird on every connection
/// and enforces `ServerLimits` there, where the request's version,
/// keep-alive and parse errors are still visible:
///
/// - a new connection must send a request head within `headerTimeout`, a
///   kept-alive one within `idleTimeout`, else it is closed;
/// - a body must keep up with `bodyTimeout` and `minBodyBytesPerSecond`,
///   else the request fails with 408 and the connection is closed;
/// - a malformed head (bad syntax, headers or URL over the limits) gets a
///   JSON 400 or 431 instead of an empty 400;
/// - an HTTP/1.0 request (or `Connection: close`) gets `Connection: close`
///   and the connection is closed after the response;
/// - on SIGTERM (quiesce), idle connections close at once and busy ones
///   after their response or at `drainTimeout`, whichever comes first;
/// - a connection the registry refused gets a JSON 503 and is closed.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase { case awaitingHead, readingBody, handling, closing }

    let limits: ServerLimits
    let registry: ConnectionRegistry
    let ticket: UInt64
    let admitted: Bool
    let metrics: ServerMetrics
    let logger: Logger

    private var started = false
    private var phase = Phase.awaitingHead
    /// A request head was read and its end not yet.
    private var requestOpen = false
    /// Requests whose response has not been written in full (more than one
    /// only when a client pipelines).
    private var pendingResponses = 0
    private var responded: Bool { pendingResponses == 0 }
    private var closeAfterResponse = false
    private var draining = false
    private var bodyStart = NIODeadline.now()
    private var bodyBytes = 0
    /// Time the server itself was not reading (back-pressure: the request's
    /// handler is busy or waiting for the budget): not the client's fault,
    /// so it does not count against the body timeout.
    private var pausedSince: NIODeadline?
    private var pausedTotal = TimeAmount.zero
    /// When the current phase's time is up: nil while a request is being
    /// handled. `timer` fires at or before it and looks again, so a request
    /// only moves the deadline (scheduling and cancelling a timer twice per
    /// request cost 2.6 % of the server's CPU at 16 connections).
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerDeadline = NIODeadline.distantFuture
    private var drainTimer: Scheduled<Void>?

    init(limits: ServerLimits, registry: ConnectionRegistry, ticket: UInt64, admitted: Bool,
         metrics: ServerMetrics, logger: Logger) {
        self.limits = limits
        self.registry = registry
        self.ticket = ticket
        self.admitted = admitted
        self.metrics = metrics
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard admitted else { return refuse(context: context) }
        registry.markIdle(ticket, context.channel, served: false)
        arm(context: context, after: limits.headerTimeout)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            registry.markBusy(ticket)
            phase = .readingBody
            requestOpen = true
            pendingResponses += 1
            if !head.isKeepAlive { closeAfterResponse = true }
            bodyStart = .now()
            bodyBytes = 0
            pausedTotal = .zero
            arm(context: context, after: limits.bodyTimeout)
        case .body(let buffer):
            let (total, overflow) = bodyBytes.addingReportingOverflow(buffer.readableBytes)
            bodyBytes = overflow ? .max : total
            if responded, bodyBytes > Self.maxDrainBytes {
                // Answered early (413, 503) and the client keeps sending: stop reading.
                phase = .closing
                context.close(promise: nil)
                return
            }
        case .end:
            requestOpen = false
            deadline = nil
            phase = .handling
            if responded { requestFinished(context: context) }
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            return context.fireErrorCaught(error)
        }
        if requestOpen {
            // Mid-body (a bad chunk size, EOF): the body reader turns it into
            // a 400 (or a counted client abort); then the connection closes.
            closeAfterResponse = true
            return context.fireErrorCaught(error)
        }
        guard phase == .awaitingHead else { return }
        let tooLarge = parseError == .headerOverflow
        let conveyorError = tooLarge
            ? ConveyorError(.headersTooLarge, "the request head is over the server's limits (headers, their count or the URL)")
            : ConveyorError(.invalidRequest, "the request is not valid HTTP/1.1 (\(parseError))")
        metrics.connectionEvent(tooLarge ? "headers_too_large" : "invalid_request")
        respondAndClose(context: context, conveyorError, status: tooLarge ? .requestHeaderFieldsTooLarge : .badRequest)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { startDraining(context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Until the next read() the server is not reading.
        if pausedSince == nil { pausedSince = .now() }
        context.fireChannelReadComplete()
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if let since = pausedSince {
            pausedTotal = pausedTotal + (NIODeadline.now() - since)
            pausedSince = nil
        }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.headers["connection"].contains(where: { $0.lowercased() == "close" }) { closeAfterResponse = true }
            if closeAfterResponse || draining {
                head.headers.replaceOrAdd(name: "connection", value: "close")
                return context.write(wrapOutboundOut(.head(head)), promise: promise)
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            pendingResponses = max(0, pendingResponses - 1)
            if closeAfterResponse || draining {
                context.writeAndFlush(data, promise: promise)
                phase = .closing
                context.close(promise: nil)
                return
            }
            context.write(data, promise: promise)
            if !requestOpen && responded { requestFinished(context: context) }
        }
    }

    // MARK: State changes

    private func requestFinished(context: ChannelHandlerContext) {
        phase = .awaitingHead
        registry.markIdle(ticket, context.channel, served: true)
        arm(context: context, after: limits.idleTimeout)
    }

    private func startDraining(context: ChannelHandlerContext) {
        guard !draining else { return }
        draining = true
        if phase == .awaitingHead {
            phase = .closing
            context.close(promise: nil)
            return
        }
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.timeAmount(limits.drainTimeout)) {
            self.drainTimer = nil
            self.metrics.connectionEvent("drain_timeout")
            self.logger.info("closing a connection still busy at the drain deadline")
            if self.requestOpen && !self.responded { context.fireErrorCaught(ConnectionGuardError.draining) }
            self.phase = .closing
            context.close(promise: nil)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        timerDeadline = .distantFuture
        guard let deadline else { return }
        if NIODeadline.now() < deadline {
            return schedule(at: deadline, context: context)
        }
        switch phase {
        case .awaitingHead:
            metrics.connectionEvent("header_timeout")
            logger.debug("closing a connection that sent no request in time")
            phase = .closing
            context.close(promise: nil)
        case .readingBody:
            let allowance = Int64(bodyBytes / max(1, limits.minBodyBytesPerSecond))
            let paused = pausedTotal + (pausedSince.map { NIODeadline.now() - $0 } ?? .zero)
            let deadline = bodyStart + Self.timeAmount(limits.bodyTimeout) + .seconds(allowance) + paused
            if NIODeadline.now() < deadline {
                self.deadline = deadline
                return schedule(at: deadline, context: context)
            }
            metrics.connectionEvent("body_timeout")
            logger.debug("request body too slow", metadata: ["bytes": "\(bodyBytes)"])
            closeAfterResponse = true
            if responded {
                phase = .closing
                context.close(promise: nil)
                return
            }
            // The handler answers 408 from the failed body; close regardless soon after.
            phase = .closing
            context.fireErrorCaught(ConnectionGuardError.bodyTimeout)
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.timeAmount(limits.timeoutResponseGrace)) {
                context.close(promise: nil)
            }
        case .closing:
            context.close(promise: nil)
        case .handling:
            break
        }
    }

    /// Starts a phase that must end within `duration`. A timer already due
    /// no later stays: when it fires early, it is set again for the rest.
    private func arm(context: ChannelHandlerContext, after duration: Duration) {
        let deadline = NIODeadline.now() + Self.timeAmount(duration)
        self.deadline = deadline
        if timer == nil || timerDeadline > deadline { schedule(at: deadline, context: context) }
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func cancelTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
        timerDeadline = .distantFuture
    }

    private func cancelTimers() {
        cancelTimer()
        drainTimer?.cancel()
        drainTimer = nil
    }

    // MARK: Answers of the guard's own

    private func refuse(context: ChannelHandlerContext) {
        metrics.connectionEvent("refused")
        let error = ConveyorError(
            .overloaded, "the server is at its limit of \(registry.limit) open connections, all busy; retry later")
        respondAndClose(context: context, error, status: .serviceUnavailable)
    }

    /// Writes a JSON error and closes: output first, so a client still
    /// sending is not reset before it reads the answer, then all of it.
    private func respondAndClose(context: ChannelHandlerContext, _ error: ConveyorError, status: HTTPResponseStatus) {
        phase = .closing
        cancelTimer()
        let body = ErrorResponse.bytes(error, status: Int(status.code), requestID: "connection-\(ticket)")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        if status == .serviceUnavailable { headers.add(name: "retry-after", value: "1") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
    }

    /// What a request answered before its body ended may still send (and
    /// have read and dropped) before the connection is closed.
    static let maxDrainBytes = ConveyorServer.drainLimit

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return .nanoseconds(overflow ? .max : nanos + attoseconds / 1_000_000_000)
    }
}
