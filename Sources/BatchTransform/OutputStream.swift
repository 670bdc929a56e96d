import ConveyorCore
import Storage

/// An output object being written: optional gzip, and one write in flight
/// in the background so uploading overlaps with scoring the next batch.
final class OutputStream: @unchecked Sendable {
    private let writer: any ObjectWriter
    private let deflater: GzipDeflater?
    private var inFlight: Task<Void, any Error>?
    private(set) var bytesWritten: Int64 = 0

    init(writer: any ObjectWriter, gzip: Bool) throws {
        self.writer = writer
        self.deflater = gzip ? try GzipDeflater() : nil
    }

    func write(_ bytes: [UInt8]) async throws {
        let data = deflater.map { $0.deflate(bytes) } ?? bytes
        guard !data.isEmpty else { return }
        try await inFlight?.value
        bytesWritten += Int64(data.count)
        inFlight = Task { [writer] in try await writer.write(data) }
    }

    func commit() async throws {
        if let deflater {
            let tail = deflater.finish()
            try await inFlight?.value
            inFlight = nil
            bytesWritten += Int64(tail.count)
            try await writer.write(tail)
        }
        try await inFlight?.value
        inFlight = nil
        try await writer.commit()
    }

    func abort() async {
        _ = try? await inFlight?.value
        inFlight = nil
        await writer.abort()
    }
}
