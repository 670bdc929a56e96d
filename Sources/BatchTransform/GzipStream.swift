import ConveyorCore
import CConveyorZlib

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
