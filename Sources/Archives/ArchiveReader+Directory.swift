import ConveyorCore
import Foundation

extension ArchiveReader {
    /// Reads every regular file below `url`. Symlinks are followed only
    /// when they resolve inside the directory.
    static func readDirectory(_ url: URL, limits: ArchiveLimits) throws -> FileTree {
        let source = url.path
        let root = url.resolvingSymlinksInPath().standardizedFileURL.path
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        var tree = FileTree(source: source)
        var budget = ArchiveBudget(limits, source: source)
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw ConveyorError(.modelNotFound, "cannot list directory '\(source)'")
        }
        while let relative = walker.nextObject() as? String {
            let full = URL(fileURLWithPath: rootPrefix + relative)
            let resolved = full.resolvingSymlinksInPath().standardizedFileURL.path
            guard resolved.hasPrefix(rootPrefix) else {
                throw ConveyorError(
                    .modelCorrupt, "'\(source)' has a symlink '\(relative)' pointing outside the directory")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            guard let path = try ArchivePath.normalize(relative, source: source) else { continue }
            // Regular files only (a FIFO would block the read), charged at their size before reading.
            let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                  let size = (attributes?[.size] as? NSNumber)?.intValue else {
                throw ConveyorError(.modelCorrupt, "'\(source)' has '\(relative)', which is not a regular file")
            }
            try budget.charge(bytes: size, path: path)
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: resolved))
            } catch {
                throw ConveyorError(.modelCorrupt, "cannot read '\(relative)' in '\(source)': \(error)")
            }
            guard data.count == size else {
                throw ConveyorError(.modelCorrupt, "'\(relative)' in '\(source)' changed size while it was read")
            }
            tree.add(path, data)
        }
        return tree
    }
}
