import ConveyorTestSupport
import Foundation
import Testing

let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `conveyor` with `arguments`, feeding `input` on standard input.
/// The blocking part runs off the cooperative pool.
func conveyor(_ arguments: [String], input: String = "", directory: URL = projectRoot,
              environment: [String: String] = [:]) async throws -> RunResult {
    try await offPool { try conveyorBlocking(arguments, input: input, directory: directory, environment: environment) }
}

private func conveyorBlocking(_ arguments: [String], input: String, directory: URL,
                              environment: [String: String]) throws -> RunResult {
    let process = Process()
    process.executableURL = conveyorExecutable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Read both pipes while the process runs, so large outputs cannot block it.
    let outputs = ReadBoth(stdout: stdout, stderr: stderr)
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    let (out, err) = outputs.wait()
    return RunResult(status: process.terminationStatus, stdout: out, stderr: err)
}

/// Drains two pipes on background threads.
final class ReadBoth: @unchecked Sendable {
    private let group = DispatchGroup()
    private var out = Data()
    private var err = Data()

    init(stdout: Pipe, stderr: Pipe) {
        group.enter()
        group.enter()
        DispatchQueue.global().async {
            self.out = stdout.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
        DispatchQueue.global().async {
            self.err = stderr.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
    }

    func wait() -> (String, String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// `process.waitUntilExit()`, off the cooperative pool.
func waitUntilExit(_ process: Process) async throws {
    let waited = UncheckedProcess(process)
    try await offPool { waited.process.waitUntilExit() }
}

/// A Process handed to the thread that waits for it (Process is not Sendable).
struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("conveyor-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
