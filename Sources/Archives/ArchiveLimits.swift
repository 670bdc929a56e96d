import ConveyorCore

/// Bounds on what an archive may expand to, so that a hostile or broken
/// artifact cannot exhaust memory (zip and gzip bombs, huge tar headers,
/// link fan-out). Every size is checked before the bytes are held.
public struct ArchiveLimits: Sendable, Equatable {
    /// All files together, link copies included.
    public var maxTotalBytes: Int
    /// Files and links together.
    public var maxEntries: Int
    /// Most bytes of output per compressed byte consumed, enforced once the
    /// output passes `ratioFloorBytes`. Deflate cannot exceed ~1032:1; real
    /// models (JSON, Parquet, UBJSON) stay far below 100:1 at that size.
    public var maxCompressionRatio: Int
    public var ratioFloorBytes: Int
    /// Per-file caps by file name for JSON metadata that is parsed whole
    /// (MLeap's bundle.json and node.json are tiny; model.json holds coefficients).
    public var maxMetadataFileBytes: [String: Int]
    /// Names a tar may carry in `L`/`K`/pax records.
    public var maxNameBytes: Int
    /// Files examined while copying directory links, all links together.
    public var maxLinkWork: Int

    public init(
        maxTotalBytes: Int = 2 << 30, maxEntries: Int = 200_000, maxCompressionRatio: Int = 100,
        ratioFloorBytes: Int = 32 << 20,
        maxMetadataFileBytes: [String: Int] = ["bundle.json": 16 << 20, "node.json": 16 << 20, "model.json": 256 << 20],
        maxNameBytes: Int = 64 << 10,
        maxLinkWork: Int = 10_000_000
    ) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxMetadataFileBytes = maxMetadataFileBytes
        self.maxNameBytes = maxNameBytes
        self.maxLinkWork = maxLinkWork
    }

    public static let `default` = ArchiveLimits()

    /// The limit for one file at `path`: metadata files are capped lower.
    func maxFileBytes(_ path: String) -> Int {
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        return min(maxMetadataFileBytes[name] ?? maxTotalBytes, maxTotalBytes)
    }
}

/// Running totals checked against the limits while an archive is read.
/// Sizes are charged before the bytes are read, so a refusal costs nothing.
struct ArchiveBudget {
    let limits: ArchiveLimits
    let source: String
    private(set) var bytes = 0
    private(set) var entries = 0
    private(set) var linkWork = 0

    init(_ limits: ArchiveLimits, source: String) {
        self.limits = limits
        self.source = source
    }

    /// Charges one entry of `count` bytes at `path` (a declared size is fine).
    mutating func charge(bytes count: Int, path: String) throws {
        guard count >= 0 else {
            throw ConveyorError(.modelCorrupt, "'\(source)' declares a negative size for '\(path)'")
        }
        let fileLimit = limits.maxFileBytes(path)
        if count > fileLimit {
            throw ConveyorError(
                .modelCorrupt,
                "'\(source)' entry '\(path)' is \(count) bytes, over the limit of \(fileLimit) bytes for one "
                    + (fileLimit < limits.maxTotalBytes ? "metadata file" : "file") + "; refusing to read it")
        }
        guard count <= limits.maxTotalBytes - bytes else {
            throw ConveyorError(
                .modelCorrupt,
                "'\(source)' expands to more than \(limits.maxTotalBytes) bytes (at '\(path)'); refusing to read it")
        }
        guard entries < limits.maxEntries else {
            throw ConveyorError(.modelCorrupt, "'\(source)' has more than \(limits.maxEntries) entries (at '\(path)')")
        }
        bytes += count
        entries += 1
    }

    /// Refuses output that outgrows the compressed bytes consumed so far by
    /// more than the ratio limit (a decompression bomb), long before the
    /// total limit is reached.
    func checkRatio(output: Int, consumed: Int) throws {
        guard output > limits.ratioFloorBytes else { return }
        let (allowed, overflow) = consumed.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        if !overflow, output > allowed {
            throw ConveyorError(
                .modelCorrupt,
                "'\(source)' inflates more than \(limits.maxCompressionRatio) times (\(output) bytes from "
                    + "\(consumed) compressed bytes): a decompression bomb; refusing to read it")
        }
    }

    /// Charges `count` files examined while copying a directory link.
    mutating func chargeLinkWork(_ count: Int, link: String) throws {
        guard count <= limits.maxLinkWork - linkWork else {
            throw ConveyorError(
                .modelCorrupt,
                "'\(source)' has links that copy directories more than \(limits.maxLinkWork) file visits deep "
                    + "(at '\(link)'); refusing to read it")
        }
        linkWork += count
    }
}
