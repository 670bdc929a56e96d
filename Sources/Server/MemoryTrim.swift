#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc keeps freed memory in its arenas: after 64 large requests a
/// server kept ~940 MB it no longer used. `malloc_trim` hands it back.
/// Called when the last large body in flight is done, off the request's
/// task; one trim at a time, and one more after it if asked meanwhile.
/// (Trimming every 10 s under steady load as well was tried and dropped: it
/// did not change the slow RSS creep of the 10-minute soak,
/// benchmarks/hostile/results.md, and cost a lock per request.)
final class MemoryTrim: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var again = false

    func trim() {
        guard let mallocTrim = Self.mallocTrim else { return }
        let start: Bool = lock.withLock {
            if running {
                again = true
                return false
            }
            running = true
            return true
        }
        guard start else { return }
        Task.detached(priority: .background) {
            var more = true
            while more {
                _ = mallocTrim(0)
                more = self.lock.withLock {
                    let more = self.again
                    self.again = false
                    if !more { self.running = false }
                    return more
                }
            }
        }
    }

    /// glibc's `malloc_trim`, which the Glibc module does not import; nil
    /// with another C library.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
