import ConveyorCore
import ConveyorTestSupport
import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// moto's S3 API server on a free 127.0.0.1 port, with signature checking
/// on: the first requests (made by boto3 in `setup`) create an IAM user,
/// its access key and the buckets; every later request must be signed
/// with that key. Stopped by `stop()`.
final class MotoServer: @unchecked Sendable {
    static let venv = projectRoot.appendingPathComponent("training/.venvs/s3")
    static let tool = projectRoot.appendingPathComponent("Tests/Support/s3_tool.py").path

    let process: Process
    let endpoint: String
    let keyID: String
    let secret: String

    var credentials: S3Credentials { S3Credentials(accessKeyID: keyID, secretAccessKey: secret) }

    /// Starts a server with `buckets`. Installs the venv first if needed (idempotent).
    init(buckets: [String]) async throws {
        if !FileManager.default.isExecutableFile(atPath: Self.venv.appendingPathComponent("bin/moto_server").path) {
            try await shell("bash \(projectRoot.path)/.ci/s3-tools.sh >/dev/null")
        }
        let port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = Self.venv.appendingPathComponent("bin/moto_server")
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        // IAM user, its policy, its key, then one request per bucket.
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(3 + buckets.count)
        environment["S3_UPLOAD_PART_MIN_SIZE"] = "1024"  // so tests can use small multipart parts
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            try await Self.waitForPort(port)
            let keys = try await Self.python(["setup", endpoint] + buckets, environment: [:]).split(separator: " ")
            guard keys.count == 2 else { throw ConveyorError(.internal, "moto setup printed \(keys)") }
            keyID = String(keys[0])
            secret = keys[1].trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            Self.kill(process)
            throw error
        }
    }

    /// SIGKILL: moto's threaded server does not always stop on SIGTERM.
    /// Does not block (it is called from `defer` in async tests).
    func stop() {
        Self.kill(process)
    }

    /// SIGKILL, then reaps the process on a thread of its own, so the caller
    /// never blocks a cooperative thread.
    static func kill(_ process: Process) {
        Glibc.kill(process.processIdentifier, SIGKILL)
        let reaped = UncheckedProcess(process)
        Thread { reaped.process.waitUntilExit() }.start()
    }

    func configuration(partBytes: Int = 8 << 20, listPageSize: Int = 1000, secret: String? = nil) -> S3Configuration {
        S3Configuration(endpoint: endpoint, credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret ?? self.secret),
                        partBytes: partBytes, listPageSize: listPageSize)
    }

    /// Runs s3_tool.py with this server's key.
    @discardableResult
    func boto3(_ arguments: [String]) async throws -> String {
        try await Self.python([arguments[0], endpoint] + arguments.dropFirst(),
                        environment: ["AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret])
    }

    static func python(_ arguments: [String], environment: [String: String]) async throws -> String {
        try await offPool { try pythonBlocking(arguments, environment: environment) }
    }

    private static func pythonBlocking(_ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = venv.appendingPathComponent("bin/python")
        process.arguments = [tool] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ConveyorError(.internal, "s3_tool.py \(arguments.joined(separator: " ")) failed: \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ConveyorError(.internal, "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Polls until the port accepts connections; at most 15 s.
    static func waitForPort(_ port: UInt16) async throws {
        for _ in 0..<150 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ConveyorError(.internal, "moto_server did not start on port \(port)")
    }
}

/// A Process handed to the thread that reaps it (Process is not Sendable;
/// only that thread touches it afterwards).
struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
