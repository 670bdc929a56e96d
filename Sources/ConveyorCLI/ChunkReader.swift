import ConveyorCore
import Foundation
import Storage

/// Reads a file or standard input in chunks.
final class ChunkReader {
    private let handle: FileHandle

    init(path: String) throws {
        if path == "-" {
            handle = .standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ConveyorError(.invalidInput, "cannot open input file \(path)")
            }
            self.handle = handle
        }
    }

    /// The next chunk, or nil at the end of the input.
    func next(maxBytes: Int) throws -> [UInt8]? {
        let data = try handle.read(upToCount: maxBytes) ?? Data()
        return data.isEmpty ? nil : [UInt8](data)
    }
}

/// Writes results to standard output, or to a temporary file that is
/// renamed over the destination only when every row succeeded, so a
/// failed run never leaves a half-written output file.
final class OutputSink {
    private let destination: URL?
    private let temporary: URL?
    private let handle: FileHandle

    init(path: String) throws {
        if path == "-" {
            destination = nil
            temporary = nil
            handle = .standardOutput
            return
        }
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        guard let handle = FileHandle.newFile(atPath: temporary.path) else {
            throw ConveyorError(.internal, "cannot create output file next to \(path)")
        }
        self.destination = destination
        self.temporary = temporary
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    func commit() throws {
        guard let destination, let temporary else { return }
        try handle.close()
        // rename(2) replaces the destination atomically.
        guard rename(temporary.path, destination.path) == 0 else {
            throw ConveyorError(.internal, "cannot move the output into place at \(destination.path)")
        }
    }

    func discard() {
        guard let temporary else { return }
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
