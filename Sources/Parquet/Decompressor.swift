import CConveyorZlib
import CSnappy
import CZstd
import ConveyorCore

/// Page decompression for the codecs Spark writes: none, snappy, zstd.
enum Decompressor {
    /// Largest uncompressed page accepted; model pages are far smaller.
    static let maxPageBytes = 256 << 20
    /// Beyond `ratioFloor`, a page may not claim more than `maxRatio` bytes per
    /// compressed byte (snappy cannot exceed ~21:1; real zstd pages stay far
    /// below): a tiny page declaring 200 MiB is refused before the allocation.
    static let maxRatio = 1024
    static let ratioFloor = 16 << 20

    static func decompress(_ input: ArraySlice<UInt8>, codec raw: Int64, uncompressedSize: Int,
                           context: String, column: String) throws -> [UInt8] {
        func failure(_ message: String) -> ConveyorError {
            ConveyorError(.modelCorrupt, "\(context): column '\(column)': \(message)")
        }
        guard let codec = Codec(rawValue: raw) else { throw failure("unknown compression codec \(raw)") }
        guard uncompressedSize >= 0, uncompressedSize <= maxPageBytes else {
            throw failure("uncompressed page size \(uncompressedSize) is out of range (limit \(maxPageBytes) bytes)")
        }
        if codec != .uncompressed, uncompressedSize > ratioFloor, uncompressedSize / maxRatio > input.count {
            throw failure("a page of \(input.count) compressed bytes declares \(uncompressedSize) bytes "
                + "(more than \(maxRatio) times); refusing it")
        }
        switch codec {
        case .uncompressed:
            guard input.count == uncompressedSize else {
                throw failure("page holds \(input.count) bytes but its header says \(uncompressedSize)")
            }
            return Array(input)
        case .snappy:
            return try input.withUnsafeBytes { source -> [UInt8] in
                let base = source.baseAddress?.assumingMemoryBound(to: CChar.self)
                var length = 0
                guard let base, snappy_uncompressed_length(base, source.count, &length) == SNAPPY_OK,
                      length == uncompressedSize else {
                    throw failure("snappy data is corrupt or does not match the page size \(uncompressedSize)")
                }
                // Validated before the output is allocated: the stream must decode to `length`.
                guard snappy_validate_compressed_buffer(base, source.count) == SNAPPY_OK else {
                    throw failure("snappy data is corrupt")
                }
                guard length > 0 else { return [] }
                var output = [UInt8](repeating: 0, count: length)
                var produced = length
                let status = output.withUnsafeMutableBytes { target -> snappy_status in
                    guard let out = target.baseAddress?.assumingMemoryBound(to: CChar.self) else { return SNAPPY_INVALID_INPUT }
                    return snappy_uncompress(base, source.count, out, &produced)
                }
                guard status == SNAPPY_OK, produced == length else { throw failure("snappy data is corrupt") }
                return output
            }
        case .zstd:
            var output = [UInt8](repeating: 0, count: uncompressedSize)
            let produced = input.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    ZSTD_decompress(target.baseAddress, target.count, source.baseAddress, source.count)
                }
            }
            guard ZSTD_isError(produced) == 0 else {
                throw failure("zstd data is corrupt: \(String(cString: ZSTD_getErrorName(produced)))")
            }
            guard produced == uncompressedSize else {
                throw failure("zstd produced \(produced) bytes but the page header says \(uncompressedSize)")
            }
            return output
        case .gzip:
            return try inflate(input, size: uncompressedSize, failure: failure)
        default:
            throw ConveyorError(
                .unsupportedModel,
                "\(context): column '\(column)' is compressed with \(codec.name); this reader supports "
                    + "UNCOMPRESSED, SNAPPY, GZIP and ZSTD")
        }
    }

    /// A GZIP page (gzip or zlib framing): exactly `size` bytes, then the stream's end.
    private static func inflate(_ input: ArraySlice<UInt8>, size: Int,
                                failure: (String) -> ConveyorError) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        // One spare byte: a stream that inflates to more than the header says is caught.
        var output = [UInt8](repeating: 0, count: size + 1)
        var source = Array(input)
        let status = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return CConveyorZlib.inflate(&stream, Z_FINISH)
            }
        }
        let produced = output.count - Int(stream.avail_out)
        guard status == Z_STREAM_END else { throw failure("gzip data is corrupt or longer than the page size \(size)") }
        guard produced == size else { throw failure("gzip produced \(produced) bytes but the page header says \(size)") }
        output.removeLast()
        return output
    }
}
