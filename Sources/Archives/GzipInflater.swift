import CConveyorZlib
import ConveyorCore

/// Streaming gzip (RFC 1952) inflation with zlib — the one wrapper of zlib's
/// inflate, used for model archives and batch inputs alike. Output goes to a
/// consumer in pieces of at most 64 KiB, so a caller can check limits before
/// anything accumulates and a bomb is refused while its output is still small.
/// zlib checks each member's header, CRC-32 and length itself.
public final class GzipInflater {
    public static let pieceBytes = 64 << 10

    private var stream = z_stream()
    private let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceBytes, alignment: 16)
    private let source: String
    private let code: ConveyorError.Code
    private let concatenatedMembers: Bool
    private var finishedMember = false
    private var sawInput = false
    /// Compressed bytes zlib has consumed so far.
    public private(set) var consumed = 0
    /// Bytes after the end of the member, when concatenated members are not read.
    public private(set) var trailing = 0

    /// - Parameters:
    ///   - code: the error code for corrupt or truncated input (a bad model
    ///     file and a bad batch input are different faults).
    ///   - concatenatedMembers: read members that follow the first (as
    ///     `cat a.gz b.gz` makes, and gzip(1) reads); otherwise bytes after the
    ///     first member are counted in `trailing` and not inflated.
    public init(source: String, code: ConveyorError.Code = .invalidInput, concatenatedMembers: Bool = true) throws {
        self.source = source
        self.code = code
        self.concatenatedMembers = concatenatedMembers
        // 15 + 16: a gzip wrapper, not zlib or raw deflate.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            piece.deallocate()
            throw ConveyorError(.internal, "zlib could not start inflating \(source)")
        }
    }

    deinit {
        inflateEnd(&stream)
        piece.deallocate()
    }

    /// Inflates one chunk of compressed bytes, handing each piece of output to `consumer`.
    public func inflate(_ input: UnsafeRawBufferPointer, consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        sawInput = true
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = uInt(input.count)
        while stream.avail_in > 0 {
            if finishedMember {
                guard concatenatedMembers else {
                    trailing += Int(stream.avail_in)
                    stream.avail_in = 0
                    return
                }
                // Another member follows the one that ended.
                inflateReset(&stream)
                finishedMember = false
            }
            let before = stream.avail_in
            stream.next_out = piece.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = uInt(piece.count)
            let status = CConveyorZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += Int(before - stream.avail_in)
            let produced = piece.count - Int(stream.avail_out)
            if produced > 0 { try consumer(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(piece)[0..<produced])) }
            switch status {
            case Z_STREAM_END: finishedMember = true
            case Z_OK: continue
            case Z_BUF_ERROR where produced > 0 || stream.avail_in == 0: continue  // needs more input
            default: throw corrupt()
            }
        }
    }

    /// Inflates one chunk into an array (batch inputs).
    public func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes { try inflate($0) { output.append(contentsOf: $0) } }
        return output
    }

    /// Throws if the input ended inside a member.
    public func finish() throws {
        if sawInput && !finishedMember {
            throw ConveyorError(code, "\(source) is a truncated gzip stream")
        }
    }

    private func corrupt() -> ConveyorError {
        let detail = stream.msg.map { String(cString: $0) } ?? "bad data"
        return ConveyorError(code, "\(source) is not valid gzip: \(detail)")
    }
}
