import Foundation

/// What one client, or many, may hold of the server: time, connections and
/// memory. Every limit answers with a JSON error (or, for a connection that
/// never sent a request, a close), never with a crash or an unbounded wait.
/// Defaults are documented in docs/serving.md.
public struct ServerLimits: Sendable, Equatable {
    /// A new connection must send its first request head within this time.
    public var headerTimeout: Duration
    /// A kept-alive connection may wait this long for its next request head.
    public var idleTimeout: Duration
    /// A request body must arrive within `bodyTimeout` plus one second per
    /// `minBodyBytesPerSecond` bytes received, so a slow but steady upload
    /// of 6 MB passes and a trickle of a few bytes a second does not.
    public var bodyTimeout: Duration
    public var minBodyBytesPerSecond: Int
    /// After a body timeout the handler answers 408; the connection is
    /// closed this long after the timeout whether or not it has answered
    /// (a handler held up on a saturated machine must not keep it open).
    public var timeoutResponseGrace: Duration
    /// Open connections. Beyond it the oldest connection waiting for a
    /// request is closed to make room; when none is waiting, the new
    /// connection gets a 503 and is closed.
    public var maxConnections: Int
    /// Bytes of request bodies held at once, across all requests. A body
    /// that does not fit waits up to `bodyBudgetWait`, then gets a 503.
    public var maxInflightBodyBytes: Int
    public var bodyBudgetWait: Duration
    /// After SIGTERM, requests still running or uploading after this long
    /// are cut off and the process exits.
    public var drainTimeout: Duration
    /// CSV bodies larger than this are scored in pieces of about this many
    /// bytes (cut at record ends), so a request's working memory follows
    /// the piece, not the body.
    public var scoringChunkBytes: Int
    /// Bodies of at most this many bytes are decoded, scored and encoded in
    /// the request's own task (on Swift's pool, never on an event loop): for
    /// a few rows the two thread hops to the scoring threads and back cost
    /// as much as the pipeline. Larger bodies (and debug traces) go to the
    /// scoring threads, so a long computation never holds a pool thread.
    /// 0 sends every request to the scoring threads. The default, 1 KiB, is
    /// about 35 Car rows, ~0.1 ms of scoring: beyond it the hop is a small
    /// part of the request (benchmarks/server/README.md).
    public var inlineScoringBytes: Int

    public init(headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
                bodyTimeout: Duration = .seconds(10), minBodyBytesPerSecond: Int = 64 * 1024,
                maxConnections: Int = 10_000, maxInflightBodyBytes: Int = 64 * 1024 * 1024,
                bodyBudgetWait: Duration = .seconds(2), drainTimeout: Duration = .seconds(20),
                scoringChunkBytes: Int = 256 * 1024, inlineScoringBytes: Int = 1024,
                timeoutResponseGrace: Duration = .seconds(2)) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.minBodyBytesPerSecond = minBodyBytesPerSecond
        self.maxConnections = maxConnections
        self.maxInflightBodyBytes = maxInflightBodyBytes
        self.bodyBudgetWait = bodyBudgetWait
        self.drainTimeout = drainTimeout
        self.scoringChunkBytes = scoringChunkBytes
        self.inlineScoringBytes = inlineScoringBytes
        self.timeoutResponseGrace = timeoutResponseGrace
    }

    /// The connection limit the process can keep: each connection is a file
    /// descriptor, and pipelines, logs and metrics need some of their own.
    public func effectiveMaxConnections(descriptorLimit: Int) -> Int {
        let reserve = 256
        return max(1, min(maxConnections, descriptorLimit - reserve))
    }
}
