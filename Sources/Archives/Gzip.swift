import ConveyorCore
import Foundation

/// A single-member gzip model file, inflated in a stream: each piece of
/// output goes to `consumer` after the size and compression ratio are
/// checked, so a gzip bomb is refused after a few MiB rather than after it
/// fills memory.
enum Gzip {
    static func inflate(
        _ data: Data, source: String, budget: ArchiveBudget, consumer: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard !data.isEmpty else { throw ConveyorError(.modelCorrupt, "'\(source)' is an empty gzip file") }
        let inflater = try GzipInflater(source: "'\(source)'", code: .modelCorrupt, concatenatedMembers: false)
        var output = 0
        try data.withUnsafeBytes { input in
            // Fed a piece at a time so `consumed` tracks the ratio as it grows.
            var offset = 0
            while offset < input.count {
                let end = min(offset + GzipInflater.pieceBytes, input.count)
                try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[offset..<end])) { chunk in
                    output += chunk.count
                    guard output <= budget.limits.maxTotalBytes else {
                        throw ConveyorError(
                            .modelCorrupt,
                            "'\(source)' inflates to more than \(budget.limits.maxTotalBytes) bytes; refusing to read it")
                    }
                    try budget.checkRatio(output: output, consumed: inflater.consumed)
                    try consumer(chunk)
                }
                offset = end
            }
        }
        try inflater.finish()
        guard inflater.trailing == 0 else {
            throw ConveyorError(
                .modelCorrupt, "'\(source)' has \(inflater.trailing) bytes after its gzip stream (a multi-member gzip?)")
        }
    }
}
