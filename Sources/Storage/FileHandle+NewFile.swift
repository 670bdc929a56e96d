import Foundation

extension FileHandle {
    /// Creates (or truncates) the file at `path` and opens it for writing
    /// with one open(2). Foundation's `createFile(atPath:contents:)` writes
    /// "atomically" on Linux: it first creates a `.dat.nosync*` file beside
    /// the path and renames it, so a kill -9 between the two leaves that
    /// file behind where no one will ever remove it.
    public static func newFile(atPath path: String) -> FileHandle? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
