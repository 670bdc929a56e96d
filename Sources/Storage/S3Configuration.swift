import ConveyorCore
import Foundation

/// Where and how to reach the S3 API.
public struct S3Configuration: Sendable {
    /// `http(s)://host[:port]`; nil means AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: String?
    public var region: String
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key`; nil means
    /// path style for custom endpoints, virtual-hosted style for AWS.
    public var pathStyle: Bool?
    public var credentials: S3Credentials
    /// Bytes per multipart part (S3's minimum is 5 MiB, except the last part).
    public var partBytes: Int
    /// Keys per ListObjectsV2 page (S3's maximum is 1000).
    public var listPageSize: Int
    /// Seconds allowed for one request.
    public var timeoutSeconds: Int64
    /// Retries of transient failures.
    public var retry: S3RetryPolicy

    public init(endpoint: String? = nil, region: String = "us-east-1", pathStyle: Bool? = nil,
                credentials: S3Credentials, partBytes: Int = 8 << 20, listPageSize: Int = 1000,
                timeoutSeconds: Int64 = 300, retry: S3RetryPolicy = S3RetryPolicy()) {
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.credentials = credentials
        self.partBytes = partBytes
        self.listPageSize = listPageSize
        self.timeoutSeconds = timeoutSeconds
        self.retry = retry
    }

    /// From the environment as the AWS SDKs read it: `AWS_ENDPOINT_URL_S3`
    /// or `AWS_ENDPOINT_URL`, `AWS_REGION` or `AWS_DEFAULT_REGION`, and the
    /// credentials chain, and `AWS_MAX_ATTEMPTS` (attempts per request).
    /// `CONVEYOR_S3_PART_BYTES` sets the multipart part size (AWS needs at
    /// least 5 MiB; smaller parts are for test servers). `endpoint` (e.g.
    /// `--s3-endpoint`) wins.
    public static func fromEnvironment(endpoint: String? = nil, pathStyle: Bool? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> S3Configuration
    {
        let chosen = endpoint ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        var configuration = S3Configuration(endpoint: chosen.flatMap { $0.isEmpty ? nil : $0 }, region: region,
                                            pathStyle: pathStyle, credentials: try S3Credentials.resolve(environment: environment))
        if let text = environment["AWS_MAX_ATTEMPTS"], !text.isEmpty {
            guard let attempts = Int(text), attempts >= 1 else {
                throw ConveyorError(.invalidInput, "AWS_MAX_ATTEMPTS '\(text)' is not a whole number of at least 1")
            }
            configuration.retry.maxAttempts = attempts
        }
        if let text = environment["CONVEYOR_S3_PART_BYTES"], !text.isEmpty {
            guard let bytes = Int(text), bytes >= 1024 else {
                throw ConveyorError(.invalidInput, "CONVEYOR_S3_PART_BYTES '\(text)' is not a number of bytes of at least 1024")
            }
            configuration.partBytes = bytes
        }
        return configuration
    }

    /// The scheme, host and port requests go to, for `bucket`.
    func base(bucket: String) throws -> (url: String, host: String, pathPrefix: String) {
        let endpointText = endpoint ?? "https://s3.\(region).amazonaws.com"
        guard let url = URL(string: endpointText), let scheme = url.scheme, let host = url.host else {
            throw ConveyorError(.invalidInput, "S3 endpoint '\(endpointText)' is not a URL like http://127.0.0.1:9000")
        }
        let port = url.port.map { ":\($0)" } ?? ""
        if pathStyle ?? (endpoint != nil) {
            return ("\(scheme)://\(host)\(port)", host + port, "/" + SigV4Signer.encode(bucket, slash: true))
        }
        return ("\(scheme)://\(bucket).\(host)\(port)", "\(bucket).\(host)\(port)", "")
    }
}
