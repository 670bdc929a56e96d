import ConveyorCore
import Foundation

/// A streaming reader for ustar, GNU (`L`/`K` long names) and pax (`x`
/// path) tar: regular files, directories and links. Anything else
/// (devices, FIFOs) is refused. Bytes arrive in pieces (straight from the
/// gzip inflater), and each header's declared size is charged to the
/// budget before its body is read, so a huge or lying size costs nothing.
struct TarReader {
    private var budget: ArchiveBudget
    private var tree: FileTree
    private var links: [(path: String, target: String)] = []
    private var header: [UInt8] = []
    private var entry: TarHeader?
    private var body = Data()
    private var bodyLeft = 0
    private var padLeft = 0
    private var longName: String?
    private var longLink: String?
    private var ended = false

    var source: String { budget.source }

    init(budget: ArchiveBudget) {
        self.budget = budget
        tree = FileTree(source: budget.source)
        header.reserveCapacity(512)
    }

    /// Reads a whole tar held in memory.
    static func read(_ data: Data, source: String, limits: ArchiveLimits) throws -> FileTree {
        var reader = TarReader(budget: ArchiveBudget(limits, source: source))
        try data.withUnsafeBytes { try reader.feed($0) }
        return try reader.finish()
    }

    /// The next piece of the tar stream.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var index = 0
        while index < bytes.count, !ended {
            let left = bytes.count - index
            if bodyLeft > 0 {
                let step = min(bodyLeft, left)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + step)]))
                bodyLeft -= step
                index += step
                if bodyLeft == 0 { try endEntry() }
            } else if padLeft > 0 {
                // The zeros after a body, or a body that is skipped.
                let step = min(padLeft, left)
                padLeft -= step
                index += step
            } else {
                let step = min(512 - header.count, left)
                header.append(contentsOf: bytes[index..<(index + step)])
                index += step
                if header.count == 512 {
                    try beginEntry()
                    header.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// The files read, once the stream is over.
    mutating func finish() throws -> FileTree {
        guard ended || (header.isEmpty && bodyLeft == 0 && padLeft == 0 && entry == nil) else {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a truncated tar archive")
        }
        try tree.resolveLinks(links, budget: &budget)
        return tree
    }

    private mutating func beginEntry() throws {
        if header.allSatisfy({ $0 == 0 }) { ended = true; return }
        let parsed = try TarHeader(header, source: source)
        let name = longName ?? parsed.name
        switch parsed.type {
        case "L", "K", "x", "g":
            guard parsed.size <= budget.limits.maxNameBytes else {
                throw ConveyorError(
                    .modelCorrupt,
                    "'\(source)' has a tar name record of \(parsed.size) bytes (limit \(budget.limits.maxNameBytes))")
            }
        case "0", "\0", "7":
            let path = try ArchivePath.normalize(name, source: source) ?? name
            try budget.charge(bytes: parsed.size, path: path)
            body = Data()
            body.reserveCapacity(parsed.size)
        case "1", "2", "5":
            // Links and directories keep no body: skip any they declare.
            entry = parsed
            padLeft = parsed.size + Self.padding(parsed.size)
            try endEntry()
            return
        default:
            throw ConveyorError(
                .modelCorrupt, "'\(source)' has tar entry '\(name)' of unsupported type '\(parsed.type)'")
        }
        entry = parsed
        bodyLeft = parsed.size
        padLeft = Self.padding(parsed.size)
        if bodyLeft == 0 { try endEntry() }
    }

    private mutating func endEntry() throws {
        guard let entry else { return }
        self.entry = nil
        let content = body
        body = Data()
        switch entry.type {
        case "L": longName = Self.cString(content); return
        case "K": longLink = Self.cString(content); return
        case "x": longName = Self.paxPath(content) ?? longName; return
        case "g": return
        default: break
        }
        let name = longName ?? entry.name
        let linkTarget = longLink ?? entry.linkName
        longName = nil
        longLink = nil
        guard let path = try ArchivePath.normalize(name, source: source) else { return }
        switch entry.type {
        case "1", "2":
            // A hard link's target is relative to the root, a symlink's to its directory.
            let target = entry.type == "1"
                ? try ArchivePath.normalize(linkTarget, source: source) ?? ""
                : try ArchivePath.resolveLink(linkTarget, at: path, source: source)
            try budget.charge(bytes: 0, path: path)
            links.append((path, target))
        case "5": return
        default: tree.add(path, content)
        }
    }

    /// Zero bytes after a body up to the next 512-byte block.
    private static func padding(_ size: Int) -> Int { (512 - size % 512) % 512 }

    private static func cString(_ bytes: Data) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The `path` record of a pax extended header ("<len> path=<value>\n").
    private static func paxPath(_ bytes: Data) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let record = line[line.index(after: space)...]
            if record.hasPrefix("path=") { return String(record.dropFirst(5)) }
        }
        return nil
    }
}
