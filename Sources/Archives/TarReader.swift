import ConveyorCore
import Foundation

/// A reader for ustar, GNU (`L`/`K` long names) and pax (`x` path) tar
/// streams: regular files, directories and symlinks. Anything else
/// (devices, FIFOs) is refused.
enum TarReader {
    static func read(_ data: Data, source: String, limits: ArchiveLimits) throws -> FileTree {
        let bytes = [UInt8](data)
        var tree = FileTree(source: source)
        var budget = ArchiveBudget(limits, source: source)
        var links: [(path: String, target: String)] = []
        var offset = 0
        var longName: String?
        var longLink: String?
        var sawEnd = false
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<(offset + 512)]
            if header.allSatisfy({ $0 == 0 }) { sawEnd = true; break }
            let entry = try TarHeader(header, source: source)
            let bodyStart = offset + 512
            let bodyEnd = bodyStart + entry.size
            guard entry.size >= 0, bodyEnd <= bytes.count else {
                throw ConveyorError(.modelCorrupt, "'\(source)' is truncated inside tar entry '\(entry.name)'")
            }
            let body = bytes[bodyStart..<bodyEnd]
            offset = bodyStart + (entry.size + 511) / 512 * 512
            let name = longName ?? entry.name
            let linkTarget = longLink ?? entry.linkName
            switch entry.type {
            case "L": longName = cString(body); continue
            case "K": longLink = cString(body); continue
            case "x": longName = paxPath(body) ?? longName; continue
            case "g": continue
            default: break
            }
            longName = nil
            longLink = nil
            guard let path = try ArchivePath.normalize(name, source: source) else { continue }
            switch entry.type {
            case "0", "\0", "7":
                try budget.charge(bytes: entry.size, path: path)
                tree.add(path, Data(body))
            case "5": continue
            case "1", "2":
                // A hard link's target is relative to the root, a symlink's to its directory.
                let target = entry.type == "1"
                    ? try ArchivePath.normalize(linkTarget, source: source) ?? ""
                    : try ArchivePath.resolveLink(linkTarget, at: path, source: source)
                links.append((path, target))
            default:
                throw ConveyorError(
                    .modelCorrupt, "'\(source)' has tar entry '\(path)' of unsupported type '\(entry.type)'")
            }
        }
        guard sawEnd || offset == bytes.count else {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a truncated tar archive")
        }
        try tree.resolveLinks(links)
        return tree
    }

    private static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The `path` record of a pax extended header ("<len> path=<value>\n").
    private static func paxPath(_ bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let record = line[line.index(after: space)...]
            if record.hasPrefix("path=") { return String(record.dropFirst(5)) }
        }
        return nil
    }
}

/// One 512-byte tar header block.
struct TarHeader {
    let name: String
    let size: Int
    let type: Character
    let linkName: String

    init(_ block: ArraySlice<UInt8>, source: String) throws {
        let b = Array(block)
        func field(_ start: Int, _ length: Int) -> String {
            String(decoding: b[start..<(start + length)].prefix { $0 != 0 }, as: UTF8.self)
        }
        // The checksum counts its own field as spaces.
        let stored = Int(field(148, 8).trimmingCharacters(in: .whitespaces), radix: 8)
        var sum = 0
        for (index, byte) in b.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        guard let stored, stored == sum else {
            throw ConveyorError(.modelCorrupt, "'\(source)' has a corrupt tar header (bad checksum)")
        }
        let prefix = field(345, 155)
        let base = field(0, 100)
        let isUstar = field(257, 5) == "ustar"
        name = isUstar && !prefix.isEmpty ? prefix + "/" + base : base
        type = Character(UnicodeScalar(b[156]))
        linkName = field(157, 100)
        if b[124] & 0x80 != 0 {
            // GNU base-256 size for entries over 8 GiB.
            size = b[125..<136].reduce(0) { $0 << 8 | Int($1) }
        } else {
            guard let parsed = Int(field(124, 12).trimmingCharacters(in: .whitespaces), radix: 8) else {
                throw ConveyorError(.modelCorrupt, "'\(source)' has a corrupt tar header for '\(base)' (bad size)")
            }
            size = parsed
        }
    }
}
