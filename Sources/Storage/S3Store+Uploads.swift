import ConveyorCore

/// A multipart upload that was started and neither completed nor aborted
/// (a writer killed with kill -9 leaves one). Its parts are stored and
/// billed, but it is never visible as an object.
public struct IncompleteUpload: Sendable, Hashable {
    public let key: String
    public let uploadID: String

    public init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }
}

extension S3Store {
    /// ListMultipartUploads under `prefix`, every page.
    public func incompleteUploads(prefix: String) async throws -> [IncompleteUpload] {
        var uploads: [IncompleteUpload] = []
        var markers: (key: String, id: String)?
        for _ in 0..<1_000_000 {
            var query = [("uploads", ""), ("prefix", prefix)]
            if let markers { query += [("key-marker", markers.key), ("upload-id-marker", markers.id)] }
            let xml = String(decoding: try await fetch("GET", key: nil, query: query,
                                                       what: "list incomplete uploads under \(name)/\(prefix)").body, as: UTF8.self)
            for block in S3XML.blocks("Upload", in: xml) {
                guard let key = S3XML.values("Key", in: block).first,
                      let id = S3XML.values("UploadId", in: block).first else { continue }
                uploads.append(IncompleteUpload(key: key, uploadID: id))
            }
            guard S3XML.value("IsTruncated", in: xml) == "true",
                  let key = S3XML.value("NextKeyMarker", in: xml), let id = S3XML.value("NextUploadIdMarker", in: xml)
            else { break }
            markers = (key, id)
        }
        return uploads
    }

    public func abort(_ upload: IncompleteUpload) async throws {
        _ = try await fetch("DELETE", key: upload.key, query: [("uploadId", upload.uploadID)],
                            what: "abort the upload of \(name)/\(upload.key)", allowed: [404])
    }

    /// Aborts incomplete uploads of exactly `keys` (a crashed run's outputs
    /// this run will write again); uploads of other keys, which other
    /// shards may be writing, are left alone. Returns how many were aborted.
    public func discardIncompleteWrites(keys: Set<String>, under prefix: String) async throws -> Int {
        let stale = try await incompleteUploads(prefix: prefix).filter { keys.contains($0.key) }
        for upload in stale { try await abort(upload) }
        return stale.count
    }
}
