import ConveyorCore

/// Entry names from archives are untrusted: a name may try to escape the
/// extraction root (`../x`, `/etc/x`) — the "zip slip" attack.
enum ArchivePath {
    /// The entry's path relative to the root, `nil` for the root itself,
    /// or an error if it is absolute or climbs out.
    static func normalize(_ raw: String, source: String) throws -> String? {
        let name = raw.replacingOccurrences(of: "\\", with: "/")
        if name.hasPrefix("/") || name.contains("\0") || isDrivePath(name) {
            throw ConveyorError(.modelCorrupt, "'\(source)' has an entry with an absolute path: '\(raw)'")
        }
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                throw ConveyorError(.modelCorrupt, "'\(source)' has an entry that escapes the archive root: '\(raw)'")
            }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The target of a symlink at `linkPath`, resolved against the link's
    /// directory; an error if it points outside the root.
    static func resolveLink(_ target: String, at linkPath: String, source: String) throws -> String {
        if target.hasPrefix("/") {
            throw ConveyorError(
                .modelCorrupt, "'\(source)' has a symlink '\(linkPath)' pointing outside the archive: '\(target)'")
        }
        var parts = linkPath.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else {
                    throw ConveyorError(
                        .modelCorrupt,
                        "'\(source)' has a symlink '\(linkPath)' pointing outside the archive: '\(target)'")
                }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    private static func isDrivePath(_ name: String) -> Bool {
        let chars = Array(name.prefix(2))
        return chars.count == 2 && chars[1] == ":" && chars[0].isLetter
    }
}
