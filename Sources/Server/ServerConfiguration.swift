import Codecs
import Foundation
import Pipeline

/// How `conveyor serve` listens and behaves.
public struct ServerConfiguration: Sendable {
    /// Whether clients may ask for per-stage traces with `X-Conveyor-Trace`.
    public enum TraceMode: String, Sendable, CaseIterable {
        /// Trace headers are ignored.
        case off
        /// `X-Conveyor-Trace: 1` returns per-stage timings in a response header.
        case on
        /// As `on`; `X-Conveyor-Trace: debug` also returns every stage's
        /// intermediate output as a JSON body instead of the predictions.
        case debug
    }

    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    /// SageMaker's invocation payload limit is 6 MB.
    public var maxBodyBytes: Int
    public var trace: TraceMode
    /// `SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT`: the response type when a
    /// request's Accept is missing or `*/*`; nil means each pipeline's default.
    public var defaultAccept: MediaType?
    /// Reported by `/execution-parameters`.
    public var maxConcurrentTransforms: Int
    /// Timeouts, connection and memory limits against slow or hostile clients.
    public var limits: ServerLimits
    /// Merge concurrent requests' rows into one pipeline call while a
    /// pipeline is busy (`--micro-batching`); nil: every request runs alone.
    /// `slots` is the scoring threads.
    public var microBatching: MicroBatching?
    /// The Open Inference Protocol's gRPC service listens here too
    /// (`--grpc-port`); nil: no gRPC. 0 picks a free port (tests).
    public var grpcPort: Int?

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 6 * 1024 * 1024,
                trace: TraceMode = .off, defaultAccept: MediaType? = nil,
                maxConcurrentTransforms: Int = ProcessInfo.processInfo.activeProcessorCount,
                limits: ServerLimits = ServerLimits(), microBatching: MicroBatching? = nil, grpcPort: Int? = nil) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.trace = trace
        self.defaultAccept = defaultAccept
        self.maxConcurrentTransforms = maxConcurrentTransforms
        self.limits = limits
        self.microBatching = microBatching
        self.grpcPort = grpcPort
    }
}
