import ConveyorCore
import Foundation
import ZIPFoundation

extension ArchiveReader {
    static func readZip(_ data: Data, source: String, limits: ArchiveLimits) throws -> FileTree {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw ConveyorError(.modelCorrupt, "'\(source)' is not a readable zip archive: \(error)")
        }
        var tree = FileTree(source: source)
        var budget = ArchiveBudget(limits, source: source)
        var entries: [(entry: Entry, path: String)] = []
        // Refuse before inflating anything: the central directory states every size.
        var declared = 0, compressed = 0
        for entry in archive {
            guard let path = try ArchivePath.normalize(entry.path, source: source), entry.type != .directory else {
                continue
            }
            let size = try Self.declared(entry.uncompressedSize, source: source, path: path)
            try budget.charge(bytes: size, path: path)
            declared += size
            compressed = compressed.addingReportingOverflow(
                try Self.declared(entry.compressedSize, source: source, path: path)).partialValue
            entries.append((entry, path))
        }
        // Overlapping entries can share compressed bytes: never count more than the file holds.
        try budget.checkRatio(output: declared, consumed: min(compressed, data.count))
        var links: [(path: String, target: String)] = []
        for (entry, path) in entries {
            let size = Int(entry.uncompressedSize)
            var contents = Data()
            contents.reserveCapacity(size)
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // The sizes were charged as declared; an entry that inflates past its
                    // declared size lies, and is stopped at the first chunk beyond it.
                    guard chunk.count <= size - contents.count else {
                        throw ConveyorError(
                            .modelCorrupt,
                            "'\(source)' entry '\(path)' inflates past its declared \(size) bytes; refusing to read it")
                    }
                    contents.append(chunk)
                }
            } catch let error as ConveyorError {
                throw error
            } catch {
                throw ConveyorError(.modelCorrupt, "'\(source)' is corrupt at entry '\(path)': \(error)")
            }
            guard contents.count == size else {
                throw ConveyorError(
                    .modelCorrupt, "'\(source)' entry '\(path)' holds \(contents.count) bytes, not its declared \(size)")
            }
            if entry.type == .symlink {
                let target = String(decoding: contents, as: UTF8.self)
                links.append((path, try ArchivePath.resolveLink(target, at: path, source: source)))
            } else {
                tree.add(path, contents)
            }
        }
        try tree.resolveLinks(links, budget: &budget)
        return tree
    }

    private static func declared(_ size: UInt64, source: String, path: String) throws -> Int {
        guard let value = Int(exactly: size), value <= TarHeader.maxSize else {
            throw ConveyorError(.modelCorrupt, "'\(source)' entry '\(path)' declares an impossible size \(size)")
        }
        return value
    }
}

extension FileTree {
    /// Symlinks inside the root become copies of their targets. Every copy
    /// is charged to the budget like a file, so links cannot multiply an
    /// archive (a chain of links to `.` doubles the files at each step).
    mutating func resolveLinks(_ links: [(path: String, target: String)], budget: inout ArchiveBudget) throws {
        for link in links {
            if let data = files[link.target] {
                try budget.charge(bytes: data.count, path: link.path)
                add(link.path, data)
            } else {
                // A link to a directory: copy every file below it.
                try budget.chargeLinkWork(files.count, link: link.path)
                let prefix = link.target.isEmpty ? "" : link.target + "/"
                let below = files.filter { $0.key.hasPrefix(prefix) }
                for (path, data) in below {
                    let copy = link.path + "/" + path.dropFirst(prefix.count)
                    try budget.charge(bytes: data.count, path: copy)
                    add(copy, data)
                }
            }
        }
    }
}
