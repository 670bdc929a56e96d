import ConveyorCore
import Foundation

/// Random access to a Parquet data file: its footer is read first, then
/// one row group's column chunks at a time, so a large file is never held whole.
public protocol ParquetByteSource: Sendable {
    var size: Int { get }
    /// Exactly `count` bytes from `offset`; the caller has checked the range against `size`.
    func read(at offset: Int, count: Int) throws -> [UInt8]
}

/// Bytes already in memory (small files, tests, the fuzz target).
public struct ParquetMemorySource: ParquetByteSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: Int { bytes.count }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw ConveyorError(.invalidInput, "a read of \(count) bytes at \(offset) lies outside \(bytes.count) bytes")
        }
        return Array(bytes[offset..<(offset + count)])
    }
}

/// A local file read with `pread`, so reads need no shared position.
public final class ParquetFileSource: ParquetByteSource, @unchecked Sendable {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ConveyorError(.invalidInput, "cannot open '\(path)' for reading: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw ConveyorError(.invalidInput, "cannot read the size of '\(path)'")
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ConveyorError(.invalidInput, "'\(path)': a read of \(count) bytes at \(offset) lies outside its \(size) bytes")
        }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        try out.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while done < count {
                let got = pread(descriptor, base + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw ConveyorError(.invalidInput, "'\(path)': reading \(count) bytes at \(offset) failed")
                }
                done += got
            }
        }
        return out
    }
}
