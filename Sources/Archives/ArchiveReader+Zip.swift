import ConveyorCore
import Foundation
import ZIPFoundation

extension ArchiveReader {
    static func readZip(_ data: Data, source: String, limits: ArchiveLimits) throws -> FileTree {
        let archive: Archive
        // ZIPFoundation's in-memory backing traps when an entry's offsets point past
        // the end (found by fuzzing/run.sh zip); its file backing reads short instead,
        // which it reports as an error. So the bytes are read through a private temp file.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("conveyor-zip-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try data.write(to: scratch, options: [.withoutOverwriting])
            archive = try Archive(url: scratch, accessMode: .read)
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
            // Each entry, and all together: a bomb cannot hide behind incompressible padding.
            let packed = min(try Self.declared(entry.compressedSize, source: source, path: path), data.count)
            try budget.checkRatio(output: size, consumed: packed)
            declared += size
            // Overlapping entries can share compressed bytes: never count more than the file holds.
            compressed = min(compressed + packed, data.count)
            entries.append((entry, path))
        }
        try budget.checkRatio(output: declared, consumed: compressed)
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
