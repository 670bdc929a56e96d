import ConveyorCore

/// Bounds on what an archive may expand to, so that a hostile or broken
/// artifact cannot exhaust memory (zip bombs, huge tar headers).
public struct ArchiveLimits: Sendable, Equatable {
    public var maxTotalBytes: Int
    public var maxEntries: Int

    public init(maxTotalBytes: Int = 2 << 30, maxEntries: Int = 200_000) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
    }

    public static let `default` = ArchiveLimits()
}

/// Running totals checked against the limits while an archive is read.
struct ArchiveBudget {
    let limits: ArchiveLimits
    let source: String
    private(set) var bytes = 0
    private(set) var entries = 0

    init(_ limits: ArchiveLimits, source: String) {
        self.limits = limits
        self.source = source
    }

    mutating func charge(bytes count: Int, path: String) throws {
        bytes += count
        entries += 1
        if bytes > limits.maxTotalBytes {
            throw ConveyorError(
                .modelCorrupt,
                "'\(source)' expands to more than \(limits.maxTotalBytes) bytes (at '\(path)'); refusing to read it")
        }
        if entries > limits.maxEntries {
            throw ConveyorError(.modelCorrupt, "'\(source)' has more than \(limits.maxEntries) entries")
        }
    }
}
