import AsyncHTTPClient
import Codecs
import ConveyorCore
import Foundation
import NIOCore
import NIOHTTP1

/// A stage that runs in another container: POSTs its input columns to a URL
/// (as a SageMaker inference pipeline does between containers) and adds the
/// columns the response holds.
///
/// Sends `content_type` (text/csv or application/jsonlines) and asks for
/// `accept` (any type Conveyor reads). Each attempt has a timeout;
/// connection failures, timeouts and 5xx answers are retried up to
/// `retries` times. Any other failure is `.stageFailed` naming the stage,
/// which the server answers with 424.
public struct RemoteStage: Stage {
    public let name: String
    public var kind: String { "remote" }
    public let url: String
    public let inputs: [ColumnSpec]
    public let outputs: [ColumnSpec]
    public let contentType: MediaType
    public let accept: MediaType
    public let timeout: Duration
    public let retries: Int
    let client: HTTPClient

    public init(name: String, url: String, inputs: [ColumnSpec], outputs: [ColumnSpec],
                contentType: MediaType = .csv, accept: MediaType = .csv,
                timeout: Duration = .seconds(5), retries: Int = 2, client: HTTPClient = .shared) throws {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "") else {
            throw ConveyorError(.invalidPipeline, "a remote stage's 'model' must be an http(s) URL, got '\(url)'", stage: name)
        }
        guard contentType != .json else {
            throw ConveyorError(
                .invalidPipeline, "a remote stage sends text/csv or application/jsonlines, not application/json", stage: name)
        }
        guard !inputs.isEmpty, !outputs.isEmpty else {
            throw ConveyorError(
                .invalidPipeline, "a remote stage needs a 'schema' naming the columns it sends and receives", stage: name)
        }
        guard (0...10).contains(retries) else {
            throw ConveyorError(.invalidPipeline, "'retries' must be 0 to 10, got \(retries)", stage: name)
        }
        self.name = name
        self.url = url
        self.inputs = inputs
        self.outputs = outputs
        self.contentType = contentType
        self.accept = accept
        self.timeout = timeout
        self.retries = retries
        self.client = client
    }

    public var facts: [Fact] {
        [Fact("url", url), Fact("content type", contentType.canonical), Fact("accept", accept.canonical),
         Fact("timeout", "\(timeout)"), Fact("retries", "\(retries)")]
    }

    public func transform(_ frame: Frame) async throws -> Frame {
        let body = try FrameEncoder().encode(frame, columns: inputs.map(\.name), as: contentType)
        let answer = try await post(body)
        let decoded: Frame
        do {
            decoded = try FrameDecoder(inputs: outputs).decode(answer, as: accept)
        } catch let error as ConveyorError {
            throw ConveyorError(.stageFailed, "the remote container's response does not fit the stage's output schema: \(error)",
                                stage: name)
        }
        guard decoded.rowCount == frame.rowCount else {
            throw ConveyorError(
                .stageFailed, "sent \(frame.rowCount) rows to \(url) but received \(decoded.rowCount)", stage: name)
        }
        var result = frame
        for column in decoded.columns { try result.put(column) }
        return result
    }

    /// One POST with bounded retries; returns the 2xx body.
    func post(_ body: [UInt8]) async throws -> [UInt8] {
        var lastProblem = ""
        var attempts = 0
        for attempt in 0...retries {
            attempts += 1
            if attempt > 0 { try await Task.sleep(for: .milliseconds(50 * attempt)) }
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: contentType.canonical)
            request.headers.add(name: "Accept", value: accept.canonical)
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
                let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
                let answer = Array(bytes.readableBytesView)
                if (200..<300).contains(response.status.code) { return answer }
                let text = String(decoding: answer.prefix(2000), as: UTF8.self)
                lastProblem = "\(url) answered \(response.status.code): \(text)"
                // A 4xx will not change on retry.
                if response.status.code < 500 { break }
            } catch {
                lastProblem = "cannot reach \(url): \(error)"
            }
        }
        throw ConveyorError(.stageFailed, "remote container failed after \(attempts) attempt\(attempts == 1 ? "" : "s"); last: \(lastProblem)",
                            stage: name)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
