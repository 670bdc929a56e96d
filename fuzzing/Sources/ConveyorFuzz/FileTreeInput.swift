import Archives
import Foundation

/// A directory-shaped model (what `ArchiveReader` makes of a directory)
/// written as one text file, so the fuzzer can mutate paths and contents:
///
///     TREE
///     === bundle.json
///     {...}
///     === root/model.json
///     {...}
///
/// Seeds are made from real directories by `make-seeds.sh`.
enum FileTreeInput {
    static let magic = Array("TREE\n".utf8)
    static let marker = Array("=== ".utf8)

    /// The tree, or nil when the bytes are not in this form.
    static func parse(_ bytes: [UInt8]) -> FileTree? {
        guard bytes.starts(with: magic) else { return nil }
        var files: [String: Data] = [:]
        var index = magic.count
        while index < bytes.count {
            guard bytes[index...].starts(with: marker) else { return nil }
            let pathStart = index + marker.count
            let pathEnd = bytes[pathStart...].firstIndex(of: 0x0A) ?? bytes.count
            let path = String(decoding: bytes[pathStart..<pathEnd], as: UTF8.self)
            let contentStart = min(pathEnd + 1, bytes.count)
            var contentEnd = contentStart
            var next = bytes.count
            var search = contentStart
            while let newline = bytes[search...].firstIndex(of: 0x0A) {
                if bytes[(newline + 1)...].starts(with: marker) { next = newline + 1; break }
                search = newline + 1
            }
            contentEnd = next == bytes.count ? bytes.count : next - 1
            files[path] = Data(bytes[contentStart..<max(contentStart, contentEnd)])
            index = next
        }
        return FileTree(source: "fuzz-tree", files: files)
    }
}
