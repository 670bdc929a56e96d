import Foundation

/// Runs `body` on a thread of its own and resumes with its result. Tests run
/// as tasks on Swift's cooperative pool, one thread per core (2 here): a
/// helper that blocks there (waiting for a child process, reading a pipe to
/// EOF, sleeping) starves every other test's tasks, in-process servers too.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result(catching: body)) }.start()
    }
}
