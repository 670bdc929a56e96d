import AsyncHTTPClient
import ConveyorCore
import NIOCore

/// Streams a GET response body, coalescing network chunks into larger ones.
/// When the connection breaks mid-object, it asks again for the rest
/// (`Range: bytes=N-`, `If-Match` the first answer's ETag, so a replaced
/// object is not stitched together), within the retry policy's attempts.
final class S3Reader: ObjectReader, @unchecked Sendable {
    private let store: S3Store
    private let key: String
    private let etag: String?
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var offset: Int64 = 0
    private var attempts = 1
    private static let target = 256 << 10

    init(store: S3Store, key: String, response: HTTPClientResponse) {
        self.store = store
        self.key = key
        self.etag = response.headers.first(name: "etag")
        self.iterator = response.body.makeAsyncIterator()
    }

    private var source: String { "\(store.name)/\(key)" }

    func next() async throws -> [UInt8]? {
        var out: [UInt8] = []
        while out.count < Self.target {
            let buffer: ByteBuffer?
            do {
                buffer = try await iterator.next()
            } catch {
                try await resume(after: error)
                continue
            }
            guard var buffer else { break }
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            offset += Int64(bytes.count)
            out.append(contentsOf: bytes)
        }
        return out.isEmpty ? nil : out
    }

    /// Re-requests the object from `offset` after a broken body, or gives up.
    private func resume(after error: any Error) async throws {
        let policy = store.configuration.retry
        guard attempts < policy.maxAttempts, let etag, !Task.isCancelled else {
            let tries = attempts > 1 ? " (gave up after \(attempts) attempts)" : ""
            throw ConveyorError(.storageFailed, "reading \(source) failed: \(error)\(tries)", cause: SendableDescription(error))
        }
        try await Task.sleep(for: policy.delay(afterAttempt: attempts))
        attempts += 1
        let response = try await store.send("GET", key: key, headers: [("range", "bytes=\(offset)-"), ("if-match", etag)],
                                            what: "read the rest of \(source) from byte \(offset)")
        guard response.status.code == 206 || offset == 0 else {
            throw ConveyorError(.storageFailed, "reading \(source) failed: the server ignored the range request for the rest")
        }
        iterator = response.body.makeAsyncIterator()
    }

    func close() async {
        // Drain so the connection can be reused; bounded by the object size.
        while (try? await iterator.next()) != nil {}
    }
}
