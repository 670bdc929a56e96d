import CConveyorZlib
import ConveyorCore
import Foundation

/// Streaming inflation with zlib: compressed bytes go in 64 KiB at a time
/// and each 64 KiB of output is handed to a consumer, which checks limits
/// before anything accumulates — so a bomb is refused while its output is
/// still small instead of after it has been held.
struct Inflater {
    enum Format {
        /// RFC 1952: zlib checks the header, CRC-32 and length itself.
        case gzip
        /// A raw deflate stream, as zip entries hold.
        case raw
    }

    static let chunkBytes = 64 << 10

    struct Failure: Error { let message: String }

    /// Inflates `input`; `consumer` receives each piece of output and the
    /// number of compressed bytes consumed so far. Returns the compressed
    /// bytes used (the stream may end before `input` does).
    @discardableResult
    static func inflate(
        _ input: UnsafeRawBufferPointer, format: Format,
        consumer: (UnsafeRawBufferPointer, _ consumed: Int) throws -> Void
    ) throws -> Int {
        var stream = z_stream()
        let windowBits: Int32 = format == .gzip ? 15 + 16 : -15
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
        defer { output.deallocate() }
        guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw Failure(message: "the compressed stream is empty")
        }
        var offset = 0
        while true {
            if stream.avail_in == 0 {
                guard offset < input.count else {
                    throw Failure(message: "the compressed stream ends early (truncated)")
                }
                let take = min(chunkBytes, input.count - offset)
                stream.next_in = UnsafeMutablePointer(mutating: base + offset)
                stream.avail_in = UInt32(take)
                offset += take
            }
            stream.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(chunkBytes)
            let status = CConveyorZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunkBytes - Int(stream.avail_out)
            let consumed = offset - Int(stream.avail_in)
            if produced > 0 {
                try consumer(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[0..<produced]), consumed)
            }
            switch status {
            case Z_STREAM_END: return consumed
            case Z_OK: continue
            case Z_BUF_ERROR where stream.avail_in == 0: continue  // needs more input
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw Failure(message: "the compressed stream is corrupt (\(detail))")
            }
        }
    }
}
