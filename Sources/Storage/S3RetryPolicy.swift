import Foundation

/// How S3 requests are retried, as the AWS SDKs' "standard" retry mode
/// does it: at most `maxAttempts` attempts in all (3 by default, or
/// `AWS_MAX_ATTEMPTS`), waiting a random time up to `baseDelay × 2^(n-1)`
/// (at most `maxDelay`) before attempt n + 1 ("full jitter"), and only for
/// failures another attempt can cure: connection errors, HTTP 500/502/503/504
/// and 429, and S3's throttling and transient error codes. Everything else
/// (403 signature or access denied, 404 NoSuchBucket, 400) fails at once.
public struct S3RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based), uniformly random
    /// in [0, min(maxDelay, baseDelay × 2^(attempt-1))].
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(max(attempt - 1, 0), 30)))
        return ceiling * random
    }

    /// S3 error codes that mean "try again" (botocore's transient and throttling codes).
    static let retryableCodes: Set<String> = [
        "SlowDown", "InternalError", "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "RequestLimitExceeded", "TooManyRequestsException", "BandwidthLimitExceeded", "ServiceUnavailable",
    ]

    /// Whether an HTTP answer is a transient failure.
    public static func isRetryable(status: UInt, code: String?) -> Bool {
        [429, 500, 502, 503, 504].contains(status) || code.map(retryableCodes.contains) == true
    }
}
