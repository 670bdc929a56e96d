import AsyncHTTPClient
import ConveyorCore
import Foundation
import NIOCore
import NIOHTTP1

/// One failed attempt: what to report, and whether another attempt may cure it.
struct S3AttemptFailure: Error {
    var error: ConveyorError
    var retryable: Bool
}

/// A small answer read whole (listings, upload ids, errors).
struct S3Answer: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]
}

extension S3Store {
    /// Signs and sends one request, retrying transient failures until the
    /// response head arrives; the body is left to the caller to stream.
    /// Statuses outside 2xx (other than `allowed`) become a `.storageFailed`
    /// error with S3's code and message.
    func send(_ method: String, key: String?, query: [(String, String)] = [], body: [UInt8]? = nil,
              headers extra: [(String, String)] = [], what: String, allowed: Set<UInt> = []) async throws
        -> HTTPClientResponse
    {
        try await retrying {
            try await attempt(method, key: key, query: query, body: body, headers: extra, what: what, allowed: allowed)
        }
    }

    /// Like `send`, and reads the (small) body within the same attempt, so
    /// a connection lost mid-answer is retried too.
    func fetch(_ method: String, key: String?, query: [(String, String)] = [], body: [UInt8]? = nil,
               headers extra: [(String, String)] = [], what: String, allowed: Set<UInt> = []) async throws -> S3Answer
    {
        try await retrying {
            let response = try await attempt(method, key: key, query: query, body: body, headers: extra, what: what,
                                             allowed: allowed)
            do {
                return S3Answer(status: response.status, headers: response.headers, body: try await collect(response))
            } catch {
                throw S3AttemptFailure(error: ConveyorError(.storageFailed, "cannot \(what): \(error)",
                                                            cause: SendableDescription(error)), retryable: true)
            }
        }
    }

    /// Runs `operation` up to `maxAttempts` times while it fails retryably,
    /// sleeping the policy's jittered backoff in between.
    func retrying<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        let policy = configuration.retry
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let failure as S3AttemptFailure {
                guard failure.retryable, attempt < policy.maxAttempts, !Task.isCancelled else {
                    var error = failure.error
                    if attempt > 1 { error.message += " (gave up after \(attempt) attempts)" }
                    throw error
                }
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
                attempt += 1
            }
        }
    }

    /// One signed request (signed afresh each attempt, so the date is current).
    private func attempt(_ method: String, key: String?, query: [(String, String)], body: [UInt8]?,
                         headers extra: [(String, String)], what: String, allowed: Set<UInt>) async throws
        -> HTTPClientResponse
    {
        let base = try configuration.base(bucket: bucket)
        let path = base.pathPrefix + "/" + (key.map { SigV4Signer.encode($0, slash: false) } ?? "")
        let queryText = query.map { "\(SigV4Signer.encode($0.0, slash: true))=\(SigV4Signer.encode($0.1, slash: true))" }
            .joined(separator: "&")
        var request = HTTPClientRequest(url: base.url + path + (queryText.isEmpty ? "" : "?" + queryText))
        request.method = HTTPMethod(rawValue: method)
        let payloadHash = body.map { SigV4Signer.payloadHash($0) } ?? SigV4Signer.emptyPayloadHash
        let signed = signer.sign(method: method, path: path, query: query,
                                 headers: [("host", base.host)] + extra, payloadHash: payloadHash)
        request.headers.add(name: "host", value: base.host)
        for (name, value) in signed { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(body)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(configuration.timeoutSeconds))
        } catch {
            // Connection refused or reset, timeouts: the SDKs retry these.
            throw S3AttemptFailure(error: ConveyorError(.storageFailed, "cannot \(what): \(error)", cause: SendableDescription(error)),
                                   retryable: !(error is CancellationError))
        }
        if (200..<300).contains(response.status.code) || allowed.contains(response.status.code) {
            return response
        }
        let text = String(decoding: (try? await collect(response, limit: 1 << 16)) ?? [], as: UTF8.self)
        let code = S3XML.value("Code", in: text)
        let message = S3XML.value("Message", in: text).map { ": \($0)" } ?? ""
        let error = ConveyorError(.storageFailed,
                                  "cannot \(what): HTTP \(response.status.code) \(code ?? response.status.reasonPhrase)\(message)")
        throw S3AttemptFailure(error: error, retryable: S3RetryPolicy.isRetryable(status: response.status.code, code: code))
    }

    func collect(_ response: HTTPClientResponse, limit: Int = 64 << 20) async throws -> [UInt8] {
        var buffer = try await response.body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
