import ConveyorCore
import Foundation

/// A Parquet file as Spark's ML writers produce it, read fully into rows.
///
/// Not a general Parquet library: it reads the Thrift compact footer, data
/// pages v1 and v2, PLAIN and dictionary encodings, RLE/bit-packed levels,
/// nested LIST columns and structs, in files compressed with none, snappy
/// or zstd. Anything else is refused naming the file, column and feature;
/// every length and offset is checked, so corrupt files fail with an error.
public struct ParquetFile: Sendable {
    /// Where the file came from, for messages.
    public let source: String
    public let schema: SchemaNode
    public let rowCount: Int
    public let createdBy: String?
    let metadata: FileMetadata
    let bytes: [UInt8]
    let footerStart: Int

    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConveyorError(.modelNotFound, "cannot read Parquet file '\(url.path)': \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), source: url.path)
    }

    public init(bytes: [UInt8], source: String) throws {
        self.source = source
        self.bytes = bytes
        let context = "Parquet file '\(source)'"
        let magic = Array("PAR1".utf8)
        guard bytes.count >= 12, Array(bytes.prefix(4)) == magic, Array(bytes.suffix(4)) == magic else {
            throw ConveyorError(.modelCorrupt, "\(context): not a Parquet file (no PAR1 magic at both ends, \(bytes.count) bytes)")
        }
        var tail = ByteCursor(bytes, from: bytes.count - 8, context: context)
        let footerLength = Int(try tail.littleEndian(4))
        guard footerLength > 0, footerLength <= bytes.count - 12 else {
            throw ConveyorError(.modelCorrupt, "\(context): footer length \(footerLength) does not fit the file")
        }
        footerStart = bytes.count - 8 - footerLength
        var reader = ThriftCompactReader(ByteCursor(bytes, from: footerStart, end: bytes.count - 8, context: "\(context) footer"))
        let footer = try reader.readStruct()
        metadata = try FileMetadata(footer, cursor: reader.cursor)
        schema = try SchemaNode.tree(metadata.schema, cursor: reader.cursor)
        rowCount = metadata.numRows
        createdBy = metadata.createdBy
    }

    /// Values a file may decode in all: 2^20, or 64 per byte of file.
    static func valueBudget(fileBytes: Int) -> Int {
        let (scaled, overflow) = fileBytes.multipliedReportingOverflow(by: 64)
        return max(1 << 20, overflow ? Int.max : scaled)
    }

    /// Top-level column names in schema order.
    public var columnNames: [String] { schema.children.map(\.name) }

    /// Every row as a `.record` of its top-level columns.
    public func rows() throws -> [ParquetValue] {
        let context = "Parquet file '\(source)'"
        let leaves = schema.leafPaths().map(LeafColumn.init)
        var valueBudget = Self.valueBudget(fileBytes: bytes.count)
        var out: [ParquetValue] = []
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == leaves.count else {
                throw ConveyorError(.modelCorrupt, "\(context): row group \(groupIndex) has \(group.columns.count) "
                    + "columns but the schema has \(leaves.count)")
            }
            var rows: [ParquetValue] = []
            for (leaf, chunk) in zip(leaves, group.columns) {
                guard chunk.path == leaf.path.map(\.name) else {
                    throw ConveyorError(.modelCorrupt, "\(context): column chunk '\(chunk.path.joined(separator: "."))' "
                        + "does not match schema column '\(leaf.dottedPath)'")
                }
                guard chunk.type == leaf.leaf.element.type else {
                    throw ConveyorError(.modelCorrupt, "\(context): column '\(leaf.dottedPath)' has a chunk type that differs from its schema type")
                }
                // Each value costs ~40 bytes decoded whatever its encoding: a tiny file
                // of RLE runs may not declare millions of them.
                guard chunk.numValues <= valueBudget else {
                    throw ConveyorError(.unsupportedModel, "\(context): column '\(leaf.dottedPath)' declares "
                        + "\(chunk.numValues) values; a file of \(bytes.count) bytes may hold at most "
                        + "\(Self.valueBudget(fileBytes: bytes.count)) in all")
                }
                valueBudget -= chunk.numValues
                let triplets = try ColumnChunkReader(file: bytes, fileEnd: footerStart, context: context,
                                                     leaf: leaf, chunk: chunk).read()
                let values = try RecordAssembler(leaf: leaf, triplets: triplets, context: context).rows()
                guard values.count == group.numRows else {
                    throw ConveyorError(.modelCorrupt, "\(context): column '\(leaf.dottedPath)' has \(values.count) "
                        + "rows in row group \(groupIndex), which has \(group.numRows)")
                }
                let top = leaf.path[0].name
                if rows.isEmpty { rows = [ParquetValue](repeating: .record([:]), count: values.count) }
                for index in 0..<values.count {
                    rows[index] = try RecordAssembler.merge(rows[index], .record([top: values[index]]), context: context)
                }
            }
            out += rows
        }
        guard out.count == rowCount else {
            throw ConveyorError(.modelCorrupt, "\(context): row groups hold \(out.count) rows but the footer says \(rowCount)")
        }
        return out
    }
}
