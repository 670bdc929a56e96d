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
        var links: [(path: String, target: String)] = []
        for entry in archive {
            guard let path = try ArchivePath.normalize(entry.path, source: source) else { continue }
            if entry.type == .directory { continue }
            // Refuse before inflating: the central directory states the size.
            if entry.uncompressedSize > UInt64(limits.maxTotalBytes) {
                try budget.charge(bytes: limits.maxTotalBytes + 1, path: path)
            }
            var contents = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    contents.append(chunk)
                    if contents.count > limits.maxTotalBytes {
                        throw ConveyorError(.modelCorrupt, "'\(source)' entry '\(path)' is too large")
                    }
                }
            } catch let error as ConveyorError {
                throw error
            } catch {
                throw ConveyorError(.modelCorrupt, "'\(source)' is corrupt at entry '\(path)': \(error)")
            }
            try budget.charge(bytes: contents.count, path: path)
            if entry.type == .symlink {
                let target = String(decoding: contents, as: UTF8.self)
                links.append((path, try ArchivePath.resolveLink(target, at: path, source: source)))
            } else {
                tree.add(path, contents)
            }
        }
        try tree.resolveLinks(links)
        return tree
    }
}

extension FileTree {
    /// Symlinks inside the root become copies of their targets.
    mutating func resolveLinks(_ links: [(path: String, target: String)]) throws {
        for link in links {
            if let data = files[link.target] {
                add(link.path, data)
            } else {
                // A link to a directory: copy every file below it.
                let prefix = link.target + "/"
                let below = files.filter { $0.key.hasPrefix(prefix) }
                for (path, data) in below {
                    add(link.path + "/" + path.dropFirst(prefix.count), data)
                }
            }
        }
    }
}
