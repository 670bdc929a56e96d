import ConveyorCore
import Foundation

/// RFC 1952 gzip, one member, inflated in a stream: each piece of output
/// goes to `consumer` after the compression ratio is checked, so a gzip
/// bomb is refused after a few MiB rather than after it fills memory.
enum Gzip {
    static func inflate(
        _ data: Data, source: String, budget: ArchiveBudget, consumer: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var output = 0
        do {
            let used = try data.withUnsafeBytes { input in
                try Inflater.inflate(input, format: .gzip) { chunk, consumed in
                    output += chunk.count
                    guard output <= budget.limits.maxTotalBytes else {
                        throw ConveyorError(
                            .modelCorrupt,
                            "'\(source)' inflates to more than \(budget.limits.maxTotalBytes) bytes; refusing to read it")
                    }
                    try budget.checkRatio(output: output, consumed: consumed)
                    try consumer(chunk)
                }
            }
            guard used == data.count else {
                throw ConveyorError(
                    .modelCorrupt, "'\(source)' has \(data.count - used) bytes after its gzip stream (a multi-member gzip?)")
            }
        } catch let failure as Inflater.Failure {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a corrupt gzip file: \(failure.message)")
        }
    }
}
