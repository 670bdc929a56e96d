import Codecs
import ConveyorCore

/// Cuts an object into SageMaker mini-batches of whole records:
/// SplitType None gives the whole object (it must fit MaxPayloadInMB);
/// Line + SingleRecord one record per batch; Line + MultiRecord as many
/// records as fit in MaxPayloadInMB. Batches never span objects.
final class RecordBatcher {
    private let stream: ByteStream
    private let type: MediaType
    private let split: SplitType
    private let strategy: BatchStrategy
    private let maxPayload: Int
    private let source: String
    private var pending: [UInt8] = []
    private var start = 0  // consumed bytes at the front of `pending`
    private var ended = false

    init(stream: ByteStream, type: MediaType, split: SplitType, strategy: BatchStrategy, maxPayload: Int, source: String) {
        self.stream = stream
        self.type = type
        self.split = split
        self.strategy = strategy
        self.maxPayload = maxPayload
        self.source = source
    }

    private var available: Int { pending.count - start }

    /// Reads until `want` bytes are pending or the object ends.
    private func fill(_ want: Int) async throws {
        while available < want, !ended {
            guard let chunk = try await stream.next() else { ended = true; break }
            if start > 0 && start >= pending.count / 2 {
                pending.removeFirst(start)
                start = 0
            }
            pending.append(contentsOf: chunk)
        }
    }

    /// The next mini-batch (complete records, blank-only batches skipped), or nil.
    func next() async throws -> ArraySlice<UInt8>? {
        while true {
            guard let batch = try await nextRaw() else { return nil }
            if !batch.allSatisfy(RecordSplitter.isBlank) { return batch }
        }
    }

    private func nextRaw() async throws -> ArraySlice<UInt8>? {
        switch split {
        case .none:
            try await fill(maxPayload + 1)
            guard available > 0 else { return nil }
            guard available <= maxPayload else {
                throw ConveyorError(.invalidInput, "\(source) is larger than MaxPayloadInMB (\(maxPayload >> 20) MB); with SplitType None an object is one request: use SplitType Line or raise MaxPayloadInMB")
            }
            return take(available)
        case .line where strategy == .singleRecord:
            var scanned = 0
            while true {
                if let end = recordEnd(from: scanned) { return take(end + 1) }
                scanned = available
                if ended { return available > 0 ? take(available) : nil }
                guard available <= maxPayload else { throw tooLong() }
                try await fill(available + 1)
            }
        case .line:
            try await fill(maxPayload)
            guard available > 0 else { return nil }
            let window = min(available, maxPayload)
            let cut = pending[start..<(start + window)].withUnsafeBytes {
                RecordSplitter.completePrefixLength($0, type: type == .csv ? .csv : .jsonLines)
            }
            if cut > 0 { return take(cut) }
            if ended && available <= maxPayload { return take(available) }
            throw tooLong()
        }
    }

    /// Offset (from `start`) of the first record terminator at or after `from`.
    private func recordEnd(from: Int) -> Int? {
        var inQuotes = false
        // Quote state must be counted from the record's start, not from `from`.
        for index in start..<pending.count {
            let byte = pending[index]
            if type == .csv && byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n") && !inQuotes && index - start >= from { return index - start }
        }
        return nil
    }

    private func take(_ count: Int) -> ArraySlice<UInt8> {
        let slice = pending[start..<(start + count)]
        start += count
        return slice
    }

    private func tooLong() -> ConveyorError {
        ConveyorError(.invalidInput, "\(source) has a record longer than MaxPayloadInMB (\(maxPayload >> 20) MB)")
    }
}
