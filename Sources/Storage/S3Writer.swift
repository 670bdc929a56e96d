import ConveyorCore
import Foundation

/// Buffers up to one part; objects smaller than a part go up with one
/// PutObject on commit, larger ones as a multipart upload that is
/// completed on commit and aborted on failure. Either way the object is
/// invisible until commit.
final class S3Writer: ObjectWriter, @unchecked Sendable {
    private let store: S3Store
    private let key: String
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var etags: [String] = []

    init(store: S3Store, key: String) {
        self.store = store
        self.key = key
    }

    private var target: String { "\(store.name)/\(key)" }

    func write(_ bytes: [UInt8]) async throws {
        buffer.append(contentsOf: bytes)
        while buffer.count >= store.configuration.partBytes {
            let part = Array(buffer.prefix(store.configuration.partBytes))
            buffer.removeFirst(part.count)
            try await upload(part)
        }
    }

    func commit() async throws {
        guard let uploadID else {
            _ = try await store.fetch("PUT", key: key, body: buffer, what: "write \(target)")
            buffer = []
            return
        }
        if !buffer.isEmpty || etags.isEmpty { try await upload(buffer) }
        buffer = []
        let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(S3XML.escape($0.element))</ETag></Part>" }
        let body = Array(("<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>").utf8)
        let answer = try await store.fetch("POST", key: key, query: [("uploadId", uploadID)], body: body,
                                           what: "complete the upload of \(target)")
        // S3 may answer 200 with an error document for CompleteMultipartUpload.
        let text = String(decoding: answer.body, as: UTF8.self)
        if text.contains("<Error>") {
            throw ConveyorError(.storageFailed, "cannot complete the upload of \(target): \(S3XML.value("Message", in: text) ?? text)")
        }
        self.uploadID = nil
    }

    func abort() async {
        buffer = []
        guard let uploadID else { return }
        self.uploadID = nil
        _ = try? await store.fetch("DELETE", key: key, query: [("uploadId", uploadID)], what: "abort the upload of \(target)")
    }

    private func upload(_ part: [UInt8]) async throws {
        let id: String
        if let started = uploadID {
            id = started
        } else {
            let answer = try await store.fetch("POST", key: key, query: [("uploads", "")], what: "start an upload of \(target)")
            let text = String(decoding: answer.body, as: UTF8.self)
            guard let fresh = S3XML.value("UploadId", in: text) else {
                throw ConveyorError(.storageFailed, "cannot start an upload of \(target): no UploadId in the answer")
            }
            uploadID = fresh
            id = fresh
        }
        let number = etags.count + 1
        let answer = try await store.fetch("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", id)],
                                           body: part, what: "upload part \(number) of \(target)")
        guard let etag = answer.headers.first(name: "etag") else {
            throw ConveyorError(.storageFailed, "part \(number) of \(target) came back without an ETag")
        }
        etags.append(etag)
    }
}
