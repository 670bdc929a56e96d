import ConveyorCore
import CConveyorZlib

/// Streaming gzip decompression with zlib: bytes in, bytes out, memory
/// bounded by the chunk sizes. Concatenated members (as `cat a.gz b.gz`
/// makes) are read one after another, as gzip(1) does.
final class GzipInflater {
    private var stream = z_stream()
    private var finishedMember = false
    private var sawInput = false
    private let source: String

    init(source: String) throws {
        self.source = source
        // 15 + 16: a gzip wrapper, not zlib or raw deflate.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ConveyorError(.internal, "zlib could not start inflating \(source)")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates one chunk of compressed bytes.
    func inflate(_ input: [UInt8]) throws -> [UInt8] {
        guard !input.isEmpty else { return [] }
        sawInput = true
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(64 << 10, input.count * 4))
        try input.withUnsafeBufferPointer { inputBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
            stream.avail_in = uInt(inputBuffer.count)
            while stream.avail_in > 0 {
                if finishedMember {
                    // Another member follows the one that ended.
                    inflateReset(&stream)
                    finishedMember = false
                }
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return CConveyorZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END: finishedMember = true
                case Z_OK, Z_BUF_ERROR: if produced == 0 && stream.avail_in > 0 && status == Z_BUF_ERROR { throw corrupt() }
                default: throw corrupt()
                }
            }
        }
        return output
    }

    /// Throws if the input ended inside a member.
    func finish() throws {
        if sawInput && !finishedMember {
            throw ConveyorError(.invalidInput, "\(source) is a truncated gzip stream")
        }
    }

    private func corrupt() -> ConveyorError {
        let detail = stream.msg.map { String(cString: $0) } ?? "bad data"
        return ConveyorError(.invalidInput, "\(source) is not valid gzip: \(detail)")
    }
}

/// Streaming gzip compression (level 6, mtime 0 so reruns are byte-identical).
final class GzipDeflater {
    private var stream = z_stream()

    init() throws {
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ConveyorError(.internal, "zlib could not start deflating")
        }
    }

    deinit { deflateEnd(&stream) }

    func deflate(_ input: [UInt8]) -> [UInt8] { run(input, flush: Z_NO_FLUSH) }

    /// The rest of the stream, with the gzip trailer.
    func finish() -> [UInt8] { run([], flush: Z_FINISH) }

    private func run(_ input: [UInt8], flush: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        input.withUnsafeBufferPointer { inputBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return CConveyorZlib.deflate(&stream, flush)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if flush == Z_FINISH ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0) { break }
                if status != Z_OK && status != Z_BUF_ERROR { break }
            }
        }
        return output
    }
}
