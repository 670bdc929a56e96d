import Archives
import ConveyorCore
import Storage

/// An object's bytes, decompressed when asked, with the next chunk read
/// ahead in the background so network or disk reads overlap with scoring;
/// with a byte range, only the records this worker owns.
final class ByteStream: @unchecked Sendable {
    private let reader: any ObjectReader
    private let inflater: GzipInflater?
    private var ahead: Task<[UInt8]?, any Error>?
    private var cutter: RecordRangeCutter?
    private(set) var bytesRead: Int64 = 0

    init(reader: any ObjectReader, gzip: Bool, source: String, cutter: RecordRangeCutter? = nil) throws {
        self.reader = reader
        self.inflater = gzip ? try GzipInflater(source: source) : nil
        self.cutter = cutter
    }

    /// The next non-empty chunk of (decompressed) bytes, or nil at the end.
    func next() async throws -> [UInt8]? {
        while true {
            if cutter?.isDone == true { return nil }
            let task = ahead ?? Task { [reader] in try await reader.next() }
            ahead = nil
            guard let raw = try await task.value else {
                try inflater?.finish()
                return nil
            }
            ahead = Task { [reader] in try await reader.next() }
            bytesRead += Int64(raw.count)
            var plain = try inflater?.inflate(raw) ?? raw
            if cutter != nil, let part = try cutter?.cut(plain) {
                plain = part.count == plain.count ? plain : Array(part)
            }
            if !plain.isEmpty { return plain }
        }
    }

    func close() async {
        if let ahead { _ = try? await ahead.value }
        ahead = nil
        await reader.close()
    }
}
