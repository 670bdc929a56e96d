import ConveyorCore
import Foundation

/// Reads a model artifact — a directory, a zip, a tar, or a gzipped tar —
/// into a `FileTree`. The kind is decided by content (magic bytes), not by
/// file name, because SageMaker artifacts are often misnamed.
public enum ArchiveReader {
    public static func read(_ url: URL, limits: ArchiveLimits = .default) throws -> FileTree {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConveyorError(.modelNotFound, "model file '\(path)' does not exist")
        }
        if isDirectory.boolValue { return try readDirectory(url, limits: limits) }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ConveyorError(.modelNotFound, "cannot read model file '\(path)': \(error)")
        }
        return try read(data, source: path, limits: limits)
    }

    /// Reads an archive held in memory; `source` names it in errors.
    public static func read(_ data: Data, source: String, limits: ArchiveLimits = .default) throws -> FileTree {
        switch ArchiveKind(sniffing: data) {
        case .zip: return try readZip(data, source: source, limits: limits)
        case .gzip:
            // Inflated straight into the tar reader: the tar is never held whole.
            let budget = ArchiveBudget(limits, source: source)
            var reader = TarReader(budget: budget)
            try Gzip.inflate(data, source: source, budget: budget) { try reader.feed($0) }
            return try reader.finish()
        case .tar: return try TarReader.read(data, source: source, limits: limits)
        case .unknown:
            throw ConveyorError(
                .modelCorrupt, "'\(source)' is not a zip, tar or tar.gz archive (unrecognized leading bytes)")
        }
    }
}

enum ArchiveKind {
    case zip, gzip, tar, unknown

    init(sniffing data: Data) {
        let head = [UInt8](data.prefix(262))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            self = .zip
        } else if head.starts(with: [0x1F, 0x8B]) {
            self = .gzip
        } else if head.count >= 262, Array(head[257..<262]) == Array("ustar".utf8) {
            self = .tar
        } else {
            self = .unknown
        }
    }
}
