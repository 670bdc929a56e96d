#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc keeps freed memory in its arenas: after 64 large requests a
/// server kept ~940 MB it no longer used. `malloc_trim` hands it back.
/// Called when the last large body in flight is done, at most once a
/// second, off the request's task.
final class MemoryTrim: @unchecked Sendable {
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?

    func trim() {
        let now = ContinuousClock.now
        let due: Bool = lock.withLock {
            if let last, now - last < .seconds(1) { return false }
            last = now
            return true
        }
        guard due else { return }
        guard let mallocTrim = Self.mallocTrim else { return }
        Task.detached(priority: .background) { _ = mallocTrim(0) }
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
