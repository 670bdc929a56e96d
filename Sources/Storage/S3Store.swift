import AsyncHTTPClient
import ConveyorCore
import Foundation
import NIOCore
import NIOHTTP1

/// One S3 bucket over the S3 REST API: ListObjectsV2 with pagination,
/// streaming GET, HEAD, and writes by PutObject or multipart upload that
/// is completed only on commit (so nothing is visible before) and aborted
/// on failure. Requests are signed with SigV4 and transient failures are
/// retried (`S3RetryPolicy`).
public struct S3Store: ObjectStore {
    public let bucket: String
    public let configuration: S3Configuration
    let client: HTTPClient
    let signer: SigV4Signer

    public init(bucket: String, configuration: S3Configuration, client: HTTPClient = .shared) {
        self.bucket = bucket
        self.configuration = configuration
        self.client = client
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
    }

    public var name: String { "s3://\(bucket)" }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        var objects: [ObjectInfo] = []
        var token: String?
        // Bounded: S3 returns at least one key per truncated page.
        for _ in 0..<10_000_000 {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(configuration.listPageSize))]
            if let token { query.append(("continuation-token", token)) }
            let xml = String(decoding: try await fetch("GET", key: nil, query: query, what: "list \(name)/\(prefix)").body,
                             as: UTF8.self)
            for block in S3XML.blocks("Contents", in: xml) {
                guard let key = S3XML.values("Key", in: block).first else { continue }
                let size = S3XML.values("Size", in: block).first.flatMap { Int64($0) } ?? 0
                objects.append(ObjectInfo(key: key, size: size))
            }
            guard S3XML.value("IsTruncated", in: xml) == "true",
                  let next = S3XML.value("NextContinuationToken", in: xml) else { break }
            token = next
        }
        return objects
    }

    public func open(key: String) async throws -> any ObjectReader {
        let response = try await send("GET", key: key, what: "read \(name)/\(key)")
        return S3Reader(store: self, key: key, response: response)
    }

    public func exists(key: String) async throws -> Bool {
        let response = try await fetch("HEAD", key: key, what: "check \(name)/\(key)", allowed: [404])
        return response.status == .ok
    }

    public func create(key: String) async throws -> any ObjectWriter {
        S3Writer(store: self, key: key)
    }
}
