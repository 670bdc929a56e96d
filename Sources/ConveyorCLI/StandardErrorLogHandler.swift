import Logging

/// swift-log's `StreamLogHandler` on standard error, with the same lines,
/// but its metadata formatted only when a line is written.
///
/// `StreamLogHandler` formats its metadata each time an entry is set.
/// Hummingbird sets the request id on every request's logger, so a server
/// that logs nothing per request (the default level is `warning`) still
/// sorted, formatted and joined that metadata on every request: 1.8 % of the
/// server's CPU at 16 connections (`perf`, benchmarks/server/README.md).
public struct StandardErrorLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String, level: Logger.Level) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = level
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var stream = stream
        stream.metadata = metadata
        stream.log(event: event)
    }
}
