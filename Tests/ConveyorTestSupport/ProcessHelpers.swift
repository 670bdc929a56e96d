import Foundation

/// Runs `body` on a thread of its own and resumes with its result. Tests run
/// as tasks on Swift's cooperative pool, one thread per core (2 here): a
/// helper that blocks there (waiting for a child process, reading a pipe to
/// EOF, sleeping) starves every other test's tasks, in-process servers too.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result(catching: body)) }.start()
    }
}

/// The `conveyor` executable of the same build as the test bundle
/// (`swift build --build-tests` builds both into one folder).
public let conveyorExecutable: URL = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        Bundle.main.bundleURL,
        Bundle.main.bundleURL.deletingLastPathComponent(),
    ]
    for folder in candidates {
        let url = folder.appendingPathComponent("conveyor")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repository.appendingPathComponent(".build/debug/conveyor")
}()

/// Runs `executable` to its end with standard output and error in one pipe
/// (read to EOF before waiting, so a chatty child cannot block); blocking,
/// so call it through `offPool`.
public func runCombiningOutput(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
