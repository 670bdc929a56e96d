import ConveyorCore
import Foundation
import ZIPFoundation

/// RFC 1952 gzip: a header, a raw deflate stream, then CRC-32 and size.
/// The deflate stream is inflated by ZIPFoundation.
enum Gzip {
    static func inflate(_ data: Data, source: String, limit: Int) throws -> Data {
        let bytes = [UInt8](data)
        let start = try deflateStart(bytes, source: source)
        guard bytes.count >= start + 8 else {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a truncated gzip file")
        }
        let compressed = Data(bytes[start...])
        var output = Data()
        var served = false
        let crc: CRC32
        do {
            // ZIPFoundation's Linux inflater assumes every chunk is exactly
            // `bufferSize` long, so the whole stream is handed over as one chunk.
            crc = try Data.decompress(
                size: Int64(compressed.count), bufferSize: compressed.count, skipCRC32: false,
                provider: { _, _ in
                    guard !served else { throw GzipTruncated() }
                    served = true
                    return compressed
                },
                consumer: { chunk in
                    output.append(chunk)
                    if output.count > limit { throw GzipTooLarge() }
                })
        } catch is GzipTruncated {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a truncated gzip file (the deflate stream ends early)")
        } catch is GzipTooLarge {
            throw ConveyorError(.modelCorrupt, "'\(source)' inflates to more than \(limit) bytes; refusing to read it")
        } catch {
            throw ConveyorError(.modelCorrupt, "'\(source)' is a corrupt gzip file: \(error)")
        }
        // Single-member gzip: the trailer is the last 8 bytes.
        let trailer = bytes.suffix(8).map(UInt32.init)
        let storedCRC = trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24
        let storedSize = trailer[4] | trailer[5] << 8 | trailer[6] << 16 | trailer[7] << 24
        guard storedCRC == crc, storedSize == UInt32(truncatingIfNeeded: output.count) else {
            throw ConveyorError(
                .modelCorrupt, "'\(source)' fails its gzip checksum (truncated or corrupt, or a multi-member gzip)")
        }
        return output
    }

    /// Offset of the deflate stream after the header and its optional fields.
    private static func deflateStart(_ b: [UInt8], source: String) throws -> Int {
        func truncated() -> ConveyorError {
            ConveyorError(.modelCorrupt, "'\(source)' has a truncated gzip header")
        }
        guard b.count >= 10 else { throw truncated() }
        guard b[0] == 0x1F, b[1] == 0x8B, b[2] == 8 else {
            throw ConveyorError(.modelCorrupt, "'\(source)' is not a deflate gzip file")
        }
        let flags = b[3]
        var offset = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard b.count >= offset + 2 else { throw truncated() }
            offset += 2 + Int(b[offset]) + Int(b[offset + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT
            while offset < b.count, b[offset] != 0 { offset += 1 }
            offset += 1
        }
        if flags & 0x02 != 0 { offset += 2 }  // FHCRC
        guard offset <= b.count else { throw truncated() }
        return offset
    }
}

private struct GzipTruncated: Error {}
private struct GzipTooLarge: Error {}
