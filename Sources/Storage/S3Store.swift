import AsyncHTTPClient
import ConveyorCore
import Foundation
import NIOCore
import NIOHTTP1

/// One S3 bucket over the S3 REST API: ListObjectsV2 with pagination,
/// streaming GET, HEAD, and writes by PutObject or multipart upload that
/// is completed only on commit (so nothing is visible before) and aborted
/// on failure. Requests are signed with SigV4.
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
            let response = try await send("GET", key: nil, query: query, what: "list \(name)/\(prefix)")
            let xml = String(decoding: try await collect(response), as: UTF8.self)
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
        return S3Reader(body: response.body, source: "\(name)/\(key)")
    }

    public func exists(key: String) async throws -> Bool {
        let response = try await send("HEAD", key: key, what: "check \(name)/\(key)", allowed: [404])
        return response.status == .ok
    }

    public func create(key: String) async throws -> any ObjectWriter {
        S3Writer(store: self, key: key)
    }

    /// Signs and sends one request. Statuses outside 2xx (other than
    /// `allowed`) become a `.storageFailed` error with S3's code and message.
    func send(_ method: String, key: String?, query: [(String, String)] = [], body: [UInt8]? = nil,
              headers extra: [(String, String)] = [], what: String, allowed: Set<UInt> = []) async throws
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
            throw ConveyorError(.storageFailed, "cannot \(what): \(error)", cause: SendableDescription(error))
        }
        if (200..<300).contains(response.status.code) || allowed.contains(response.status.code) {
            return response
        }
        let text = String(decoding: (try? await collect(response, limit: 1 << 16)) ?? [], as: UTF8.self)
        let code = S3XML.value("Code", in: text) ?? response.status.reasonPhrase
        let message = S3XML.value("Message", in: text).map { ": \($0)" } ?? ""
        throw ConveyorError(.storageFailed, "cannot \(what): HTTP \(response.status.code) \(code)\(message)")
    }

    func collect(_ response: HTTPClientResponse, limit: Int = 64 << 20) async throws -> [UInt8] {
        var buffer = try await response.body.collect(upTo: limit)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

/// Streams a GET response body, coalescing network chunks into larger ones.
final class S3Reader: ObjectReader, @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private let source: String
    private static let target = 256 << 10

    init(body: HTTPClientResponse.Body, source: String) {
        self.iterator = body.makeAsyncIterator()
        self.source = source
    }

    func next() async throws -> [UInt8]? {
        var out: [UInt8] = []
        do {
            while out.count < Self.target, var buffer = try await iterator.next() {
                out.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
        } catch {
            throw ConveyorError(.storageFailed, "reading \(source) failed: \(error)", cause: SendableDescription(error))
        }
        return out.isEmpty ? nil : out
    }

    func close() async {
        // Drain so the connection can be reused; bounded by the object size.
        while (try? await iterator.next()) != nil {}
    }
}
