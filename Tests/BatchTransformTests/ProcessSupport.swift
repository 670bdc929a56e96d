import ConveyorTestSupport
import Foundation

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `conveyor` with `arguments` to completion, both pipes drained as it runs,
/// off the cooperative pool.
func runConveyor(_ arguments: [String], directory: URL = projectRoot, environment: [String: String] = [:]) async throws -> ProcessResult {
    try await offPool { try runConveyorBlocking(arguments, directory: directory, environment: environment) }
}

private func runConveyorBlocking(_ arguments: [String], directory: URL, environment: [String: String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = conveyorExecutable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdout = Pipe(), stderr = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let group = DispatchGroup()
    let out = DataBox(), err = DataBox()
    group.enter()
    DispatchQueue.global().async { out.data = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { err.data = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: out.data, as: UTF8.self),
                         stderr: String(decoding: err.data, as: UTF8.self))
}

/// `process.waitUntilExit()`, off the cooperative pool.
func waitUntilExit(_ process: Process) async throws {
    let waited = UncheckedProcess(process)
    try await offPool { waited.process.waitUntilExit() }
}

/// Bytes one reader thread fills (the group's wait orders the accesses).
final class DataBox: @unchecked Sendable {
    var data = Data()
}

extension MotoServer {
    /// The environment a `conveyor` process needs to reach this server.
    var processEnvironment: [String: String] {
        ["AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint]
    }

    /// Every object under `prefix` of `bucket`, read back with boto3.
    func downloadAll(_ bucket: String, _ prefix: String) async throws -> [String: Data] {
        let folder = try temporaryFolder()
        try await boto3(["download", bucket, prefix, folder.path])
        var result: [String: Data] = [:]
        for file in files(under: folder) {
            result[file] = try Data(contentsOf: folder.appendingPathComponent(file))
        }
        return result
    }
}
