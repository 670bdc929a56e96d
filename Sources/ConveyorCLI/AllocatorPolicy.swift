#if canImport(Glibc)
import Glibc

// Glibc's Swift module leaves out <malloc.h>: mallopt and its parameters by hand.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let trimThreshold: Int32 = -1
private let topPad: Int32 = -2
private let mmapThreshold: Int32 = -3
#endif

/// How glibc's allocator keeps and returns memory, chosen per command:
/// a server must not grow over days, a batch job must not pay the kernel
/// for every piece it scores. Set once, before the command allocates much.
enum AllocatorPolicy {
    /// `serve`: glibc raises its mmap threshold each time a large block is
    /// freed (up to 32 MiB), after which request-sized buffers (a 1 MB CSV
    /// body, its columns) come from the heap and stay there as fragments: a
    /// server under a mix of small and 1 MB requests grew ~12 % in 10
    /// minutes. A fixed threshold keeps every block ≥ 256 KiB in its own
    /// mapping, returned when freed (benchmarks/hostile/results.md, soak).
    static func serving() {
        #if canImport(Glibc)
        _ = mallopt(mmapThreshold, 256 * 1024)
        #endif
    }

    /// `transform`, `predict`, `pipe`: every 256 KiB piece allocates the
    /// same few megabytes (columns, the feature matrix, the output). With
    /// glibc's defaults they were mapped, zeroed by the kernel, touched and
    /// unmapped again, piece after piece: 210 k page faults and a fifth of
    /// the CPU in the kernel for 2.8 M Car rows. Kept in the heap instead
    /// (blocks up to 32 MiB, 64 MiB of free space before trimming, the heap
    /// grown 16 MiB at a time), the same job takes 4 k faults and peak RSS
    /// moves from 48 to 51 MB: what a piece needs is reused, not re-faulted.
    static func batch() {
        #if canImport(Glibc)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 64 << 20)
        _ = mallopt(topPad, 16 << 20)
        #endif
    }
}
