import ConveyorTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A prefix the user may not read, for real: the tests run as root, who
/// reads everything, so `conveyor` runs as the unprivileged user 65534
/// (nobody) through util-linux's setpriv(1).
@Suite struct UnreadablePrefixTests {
    /// `conveyor` as user nobody (when the tests run as root; else as the user itself).
    func conveyorAsNobody(_ arguments: [String], directory: URL) async throws -> RunResult {
        guard getuid() == 0 else { return try await conveyor(arguments, directory: directory) }
        return try await offPool { try Self.asNobodyBlocking(arguments, directory: directory) }
    }

    static func asNobodyBlocking(_ arguments: [String], directory: URL) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", conveyorExecutable.path] + arguments
        process.currentDirectoryURL = directory
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let outputs = ReadBoth(stdout: stdout, stderr: stderr)
        process.waitUntilExit()
        let (out, err) = outputs.wait()
        return RunResult(status: process.terminationStatus, stdout: out, stderr: err)
    }

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    @Test func unreadablePrefixesAreClearErrorsAndNothingIsWritten() async throws {
        let root = try temporaryFolder()
        chmod(root.path, 0o777)  // nobody may write outputs here, so "nothing written" is the job's choice
        let pipeline = projectRoot.appendingPathComponent("pipelines/car-evaluation-sklearn.json").path
        let rows = "vhigh,vhigh,2,2,small,low\nlow,low,4,more,big,high\n"
        try write(rows, root.appendingPathComponent("closed/a.csv"))
        try write(rows, root.appendingPathComponent("mixed/a.csv"))
        try write(rows, root.appendingPathComponent("mixed/secret/b.csv"))
        chmod(root.appendingPathComponent("closed").path, 0o000)
        chmod(root.appendingPathComponent("mixed/secret").path, 0o000)
        defer {
            chmod(root.appendingPathComponent("closed").path, 0o755)
            chmod(root.appendingPathComponent("mixed/secret").path, 0o755)
        }
        let common = ["transform", "--split-type", "Line", "--pipeline", pipeline, "--no-progress"]

        let closed = try await conveyorAsNobody(common + ["--input", "closed", "--output", "out-closed"], directory: root)
        #expect(closed.status == 4, "\(closed.stderr)")
        #expect(closed.stderr.contains("error: cannot read input prefix \(root.path)/closed: permission denied"), "\(closed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out-closed").path))

        // A readable prefix with an unreadable folder inside: an error, not a job that silently skips b.csv.
        let mixed = try await conveyorAsNobody(common + ["--input", "mixed", "--output", "out-mixed"], directory: root)
        #expect(mixed.status == 4, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("cannot read input prefix \(root.path)/mixed/secret: permission denied"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out-mixed").path))

        // Readable again, the same user runs the same job: the failures were the permissions.
        chmod(root.appendingPathComponent("mixed/secret").path, 0o755)
        let open = try await conveyorAsNobody(common + ["--input", "mixed", "--output", "out-mixed"], directory: root)
        #expect(open.status == 0, "\(open.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out-mixed/secret/b.csv.out").path))

        // An unreadable object fails alone, as a bad record does: no output for it, the others are written.
        chmod(root.appendingPathComponent("mixed/a.csv").path, 0o000)
        let file = try await conveyorAsNobody(common + ["--input", "mixed", "--output", "out-file"], directory: root)
        #expect(file.status == 1, "\(file.stderr)")
        #expect(file.stderr.contains("cannot open \(root.path)/mixed/a.csv for reading"), "\(file.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out-file/secret/b.csv.out").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out-file/a.csv.out").path))
    }
}
