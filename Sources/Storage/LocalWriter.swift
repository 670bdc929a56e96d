import ConveyorCore
import Foundation

/// Writes `.<name>.conveyor-partial.<pid>.<random>` beside the destination
/// and renames it into place on commit (rename(2) is atomic on one file
/// system). Partial files of processes that no longer exist (a kill -9)
/// are removed when the same object is written again.
final class LocalWriter: ObjectWriter, @unchecked Sendable {
    static let marker = ".conveyor-partial."

    private let destination: String
    private let temporary: String
    private let handle: FileHandle

    static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(marker)
    }

    init(destination: String) throws {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ConveyorError(.storageFailed, "cannot create output folder \(folder)", cause: SendableDescription(error))
        }
        Self.removeStalePartials(in: folder, name: name)
        let pid = ProcessInfo.processInfo.processIdentifier
        temporary = folder + "/." + name + Self.marker + "\(pid).\(UInt32.random(in: 0...UInt32.max))"
        guard let handle = FileHandle.newFile(atPath: temporary) else {
            throw ConveyorError(.storageFailed, "cannot create a temporary file in \(folder)")
        }
        self.destination = destination
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) async throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ConveyorError(.storageFailed, "cannot write \(temporary)", cause: SendableDescription(error))
        }
    }

    func commit() async throws {
        try? handle.close()
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ConveyorError(.storageFailed, "cannot move the output into place at \(destination): \(reason)")
        }
    }

    func abort() async {
        try? handle.close()
        unlink(temporary)
    }

    /// `.<name>.conveyor-partial.<pid>.*` whose process is gone.
    private static func removeStalePartials(in folder: String, name: String) {
        let prefix = "." + name + marker
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let pidText = entry.dropFirst(prefix.count).prefix { $0 != "." }
            guard let pid = Int32(pidText), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + entry)
        }
    }
}
