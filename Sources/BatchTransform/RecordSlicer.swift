import Codecs
import ConveyorCore

/// Cuts an object read as a stream into slices of whole records of about
/// `sliceBytes` each, for SplitType Line + MultiRecord with CSV or JSON
/// Lines. Rows are scored independently, so where a slice ends changes
/// nothing in the output; small slices keep memory flat (a slice's frames
/// are a few MB, whatever MaxPayloadInMB or the object size) and let
/// several slices be scored at once. A record longer than MaxPayloadInMB
/// is refused as RecordBatcher refuses it.
final class RecordSlicer {
    private let stream: ByteStream
    private let type: MediaType
    private let sliceBytes: Int
    private let maxPayload: Int
    private let source: String
    private var pending: [UInt8] = []
    private var start = 0  // consumed bytes at the front of `pending`
    private var ended = false

    init(stream: ByteStream, type: MediaType, sliceBytes: Int, maxPayload: Int, source: String) {
        self.stream = stream
        self.type = type == .csv ? .csv : .jsonLines
        self.sliceBytes = max(1, min(sliceBytes, maxPayload))
        self.maxPayload = maxPayload
        self.source = source
    }

    private var available: Int { pending.count - start }

    /// The next slice: complete records, its own storage (the buffer is
    /// reused), blank-only slices skipped; nil at the end of the object.
    func next() async throws -> [UInt8]? {
        while true {
            guard let slice = try await nextRaw() else { return nil }
            if !slice.allSatisfy(RecordSplitter.isBlank) { return slice }
        }
    }

    private func nextRaw() async throws -> [UInt8]? {
        try await fill(sliceBytes)
        guard available > 0 else { return nil }
        let cut = prefixLength(min(available, sliceBytes))
        if cut > 0 { return take(cut) }
        // No record ends within a slice: one long record, up to MaxPayloadInMB.
        var scanned = min(available, sliceBytes)
        while true {
            if let end = firstRecordEnd(from: scanned) {
                guard end <= maxPayload else { throw tooLong() }
                return take(end)
            }
            scanned = available
            if ended {
                guard available <= maxPayload else { throw tooLong() }
                return take(available)
            }
            guard available <= maxPayload else { throw tooLong() }
            try await fill(available + 1)
        }
    }

    /// Reads until `want` bytes are pending or the object ends.
    private func fill(_ want: Int) async throws {
        while available < want, !ended {
            guard let chunk = try await stream.next() else { ended = true; break }
            if start > 0 {
                // Keep the buffer's capacity: only the unread tail moves.
                pending.removeSubrange(0..<start)
                start = 0
            }
            pending.append(contentsOf: chunk)
        }
    }

    /// Length of the longest prefix of the next `count` bytes that ends a record.
    private func prefixLength(_ count: Int) -> Int {
        pending.withUnsafeBytes { raw in
            RecordSplitter.completePrefixLength(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]), type: type)
        }
    }

    /// Length up to and including the first record terminator at or after
    /// `from` (quote state counted from the record's start), or nil.
    private func firstRecordEnd(from: Int) -> Int? {
        var inQuotes = false
        for index in start..<pending.count {
            let byte = pending[index]
            if type == .csv && byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n") && !inQuotes && index - start >= from { return index - start + 1 }
        }
        return nil
    }

    private func take(_ count: Int) -> [UInt8] {
        let slice = Array(pending[start..<(start + count)])
        start += count
        return slice
    }

    private func tooLong() -> ConveyorError {
        ConveyorError(.invalidInput, "\(source) has a record longer than MaxPayloadInMB (\(maxPayload >> 20) MB)")
    }
}
