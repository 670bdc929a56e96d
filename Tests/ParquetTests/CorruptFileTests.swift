import ConveyorTestSupport
import ConveyorCore
import Foundation
import Testing
@testable import Parquet

/// Corrupt and truncated files are refused with a ConveyorError and a
/// message; nothing traps or hangs (every length and offset is bounded).
@Suite struct CorruptFileTests {
    @Test func notParquetIsRefused() {
        let error = conveyorError { _ = try ParquetFile(bytes: Array("hello, world".utf8), source: "x.parquet") }
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("x.parquet") == true)
        #expect(error?.message.contains("PAR1") == true)
        #expect(conveyorError { _ = try ParquetFile(bytes: [], source: "empty") }?.code == .modelCorrupt)
    }

    @Test func aFooterLengthPastTheStartIsRefused() throws {
        var bytes = try fixtureBytes("spark-snappy-v1.parquet")
        let at = bytes.count - 8
        bytes[at] = 0xFF; bytes[at + 1] = 0xFF; bytes[at + 2] = 0xFF; bytes[at + 3] = 0x7F
        let error = conveyorError { _ = try ParquetFile(bytes: bytes, source: "f") }
        #expect(error?.message.contains("footer length") == true)
    }

    /// Every truncation of a real file (keeping the trailing magic, so the
    /// footer length is what lies) fails cleanly.
    @Test func truncatedFilesAreRefused() throws {
        let bytes = try fixtureBytes("spark-snappy-v1.parquet")
        for cut in stride(from: 1, to: bytes.count - 8, by: 3) {
            // Drops `cut` bytes after the leading magic.
            let truncated = Array(bytes.prefix(4)) + Array(bytes.suffix(bytes.count - 4 - cut))
            #expect(throws: ConveyorError.self, "cut \(cut)") {
                _ = try ParquetFile(bytes: truncated, source: "t").rows()
            }
            #expect(throws: ConveyorError.self, "prefix \(cut)") {
                _ = try ParquetFile(bytes: Array(bytes.prefix(cut)), source: "t").rows()
            }
        }
    }

    /// A short deterministic fuzz run: random byte mutations of real files
    /// (seeded), each read must succeed or throw ConveyorError.
    @Test func mutatedFilesOnlyEverThrowConveyorError() throws {
        let names = ["spark-snappy-v1.parquet", "spark-zstd-v2.parquet", "pyarrow-none-v1-dict.parquet",
                     "pyarrow-snappy-v2-plain.parquet", "pyarrow-zstd-v1-dict.parquet"]
        let files = try names.map(fixtureBytes)
        var rng = SeededGenerator(seed: 0xC0FFEE)
        var accepted = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = files[Int(rng.next() % UInt64(files.count))]
            let edits = 1 + Int(rng.next() % 6)
            for _ in 0..<edits {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[position] ^= UInt8(1) << UInt8(rng.next() % 8)
                case 2: bytes[position] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
                default: bytes.removeSubrange(position..<min(bytes.count - 1, position + Int(rng.next() % 16)))
                }
            }
            do {
                _ = try ParquetFile(bytes: bytes, source: "fuzz").rows()
                accepted += 1
            } catch is ConveyorError {
                refused += 1
            } catch {
                Issue.record("a non-ConveyorError escaped: \(error)")
            }
        }
        #expect(accepted + refused == 3000)
        #expect(refused > 1000)
    }
}

