import ConveyorCore
import Foundation
import Testing
@testable import Parquet

/// Parquet files declaring absurd sizes and counts (issue 10), written
/// here with a small Thrift compact writer: each is refused with a message
/// before anything of the declared size is allocated.
@Suite struct HostileFileTests {
    /// Thrift compact protocol, just what a footer and a page header need.
    struct Thrift {
        var out: [UInt8] = []
        private var last: [Int16] = [0]

        mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }

        mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

        mutating func field(_ id: Int16, _ type: UInt8) {
            let delta = id - last[last.count - 1]
            if delta > 0, delta <= 15 { out.append(UInt8(delta) << 4 | type) } else { out.append(type); zigzag(Int64(id)) }
            last[last.count - 1] = id
        }

        mutating func int(_ id: Int16, _ value: Int64, wide: Bool = false) { field(id, wide ? 6 : 5); zigzag(value) }

        mutating func string(_ id: Int16, _ text: String) {
            field(id, 8)
            varint(UInt64(text.utf8.count))
            out += Array(text.utf8)
        }

        mutating func structure(_ id: Int16, _ body: (inout Thrift) -> Void) {
            field(id, 12)
            element(body)
        }

        mutating func list(_ id: Int16, of type: UInt8, count: Int) {
            field(id, 9)
            out.append(UInt8(count) << 4 | type)
        }

        /// A struct inside a list (no field header).
        mutating func element(_ body: (inout Thrift) -> Void) {
            last.append(0)
            body(&self)
            out.append(0)
            last.removeLast()
        }
    }

    /// One required INT64 column `x` in one row group with one data page.
    static func file(codec: Int64, numValues: Int64, pageValues: Int64, uncompressed: Int64, body: [UInt8]) -> [UInt8] {
        var page = Thrift()
        page.int(1, 0)  // DATA_PAGE
        page.int(2, uncompressed)
        page.int(3, Int64(body.count))
        page.structure(5) { header in
            header.int(1, pageValues)
            header.int(2, 0)  // PLAIN
            header.int(3, 3)  // RLE levels
            header.int(4, 3)
        }
        page.out.append(0)
        let chunk = page.out + body
        var footer = Thrift()
        footer.int(1, 1)
        footer.list(2, of: 12, count: 2)
        footer.element { root in root.string(4, "schema"); root.int(5, 1) }
        footer.element { column in column.int(1, 2); column.int(3, 0); column.string(4, "x") }  // INT64, REQUIRED
        footer.int(3, numValues, wide: true)
        footer.list(4, of: 12, count: 1)
        footer.element { group in
            group.list(1, of: 12, count: 1)
            group.element { column in
                column.int(2, 4, wide: true)
                column.structure(3) { meta in
                    meta.int(1, 2)
                    meta.list(2, of: 5, count: 1); meta.zigzag(0)
                    meta.list(3, of: 8, count: 1); meta.varint(1); meta.out += Array("x".utf8)
                    meta.int(4, codec)
                    meta.int(5, numValues, wide: true)
                    meta.int(6, Int64(chunk.count), wide: true)
                    meta.int(7, Int64(chunk.count), wide: true)
                    meta.int(9, 4, wide: true)
                }
            }
            group.int(2, Int64(chunk.count), wide: true)
            group.int(3, numValues, wide: true)
        }
        footer.out.append(0)
        let length = UInt32(footer.out.count)
        return Array("PAR1".utf8) + chunk + footer.out + withUnsafeBytes(of: length.littleEndian, Array.init) + Array("PAR1".utf8)
    }

    private func readError(_ bytes: [UInt8]) -> ConveyorError? {
        conveyorError { _ = try ParquetFile(bytes: bytes, source: "hostile.parquet").rows() }
    }

    @Test func theWriterMakesAReadableFile() throws {
        // Three PLAIN int64 values, uncompressed: the builder itself is sound.
        let body = [Int64](arrayLiteral: 7, -1, 42).flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let rows = try ParquetFile(bytes: Self.file(codec: 0, numValues: 3, pageValues: 3, uncompressed: 24, body: body),
                                   source: "ok.parquet").rows()
        #expect(rows == [.record(["x": .int(7)]), .record(["x": .int(-1)]), .record(["x": .int(42)])])
    }

    @Test func anAbsurdUncompressedPageSizeIsRefused() {
        let error = readError(Self.file(codec: 1, numValues: 1, pageValues: 1, uncompressed: Int64(Int32.max), body: [8, 0]))
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("uncompressed page size 2147483647 is out of range") == true, "\(String(describing: error))")
    }

    @Test func aTinyPageDeclaringTwoHundredMiBIsRefusedBeforeAllocating() {
        // 200 MiB from 16 bytes of zstd: refused by the ratio, never allocated.
        let error = readError(Self.file(codec: 6, numValues: 1, pageValues: 1, uncompressed: 200 << 20,
                                        body: [UInt8](repeating: 0, count: 16)))
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("more than \(Decompressor.maxRatio) times") == true, "\(String(describing: error))")
    }

    @Test func snappyLengthIsValidatedBeforeTheOutputIsAllocated() {
        // A snappy preamble claiming 8 bytes, then garbage.
        let error = readError(Self.file(codec: 1, numValues: 1, pageValues: 1, uncompressed: 8, body: [8, 0xFF, 0xFF]))
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("snappy data is corrupt") == true, "\(String(describing: error))")
    }

    @Test func tenMillionValuesInATinyFileAreRefused() {
        let error = readError(Self.file(codec: 0, numValues: 10_000_000, pageValues: 10_000_000, uncompressed: 0, body: []))
        #expect(error?.code == .unsupportedModel)
        #expect(error?.message.contains("declares 10000000 values") == true, "\(String(describing: error))")
    }

    @Test func aValueCountOf10To12IsRefusedInTheFooter() {
        let error = readError(Self.file(codec: 0, numValues: 1_000_000_000_000, pageValues: 1, uncompressed: 8,
                                        body: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("out of range") == true, "\(String(describing: error))")
    }

    @Test func pageValueCountsBeyondTheChunkAreRefused() {
        let error = readError(Self.file(codec: 0, numValues: 1, pageValues: 1 << 40, uncompressed: 8,
                                        body: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .modelCorrupt)
        #expect(error?.message.contains("page value count") == true, "\(String(describing: error))")
    }

    @Test func sparseVectorsDeclaringHugeSizesAreRefused() {
        let vector = ParquetValue.record(["type": .int(0), "size": .int(Int64(Int32.max)), "indices": .list([]),
                                          "values": .list([])])
        #expect(throws: ConveyorError.self) { _ = try SparkVector(vector, what: "v") }
        let matrix = ParquetValue.record(["type": .int(0), "numRows": .int(1 << 20), "numCols": .int(1 << 20),
                                          "colPtrs": .list([]), "rowIndices": .list([]), "values": .list([])])
        #expect(throws: ConveyorError.self) { _ = try SparkMatrix(matrix, what: "m") }
    }
}
