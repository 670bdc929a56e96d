import ConveyorCore

/// A Parquet data file read a row group at a time, only the columns asked
/// for: the footer first, then each needed column chunk of one row group,
/// so memory follows the row group, never the file. Top-level primitive
/// and string columns are read; what cannot be read faithfully (decimals,
/// dates, INT96, nested columns…) is refused when it is asked for, naming
/// the column and the type. Every failure is `.invalidInput` naming the file.
public struct ParquetDataFile: Sendable {
    /// Largest footer accepted (a footer describes, it holds no data).
    public static let maxFooterBytes = 64 << 20
    /// Largest column chunk read at once (one column of one row group).
    public static let maxChunkBytes = 512 << 20

    public let source: String
    public let schema: SchemaNode
    public let rowCount: Int
    let metadata: FileMetadata
    let reader: any ParquetByteSource
    let footerStart: Int
    let leaves: [LeafColumn]

    public init(reader: any ParquetByteSource, source: String) throws {
        self.reader = reader
        self.source = source
        let context = "Parquet file '\(source)'"
        let size = reader.size
        guard size >= 12 else {
            throw ConveyorError(.invalidInput, "\(context): not a Parquet file (\(size) bytes)")
        }
        let head = try reader.read(at: 0, count: 4)
        let tail = try reader.read(at: size - 8, count: 8)
        let magic = Array("PAR1".utf8)
        guard head == magic, Array(tail.suffix(4)) == magic else {
            throw ConveyorError(.invalidInput, "\(context): not a Parquet file (no PAR1 magic at both ends)")
        }
        var lengthCursor = ByteCursor(tail, context: context)
        let footerLength = Int(try lengthCursor.littleEndian(4))
        guard footerLength > 0, footerLength <= size - 12, footerLength <= Self.maxFooterBytes else {
            throw ConveyorError(.invalidInput, "\(context): footer length \(footerLength) does not fit the file "
                + "or exceeds the limit of \(Self.maxFooterBytes) bytes")
        }
        footerStart = size - 8 - footerLength
        let footerBytes = try reader.read(at: footerStart, count: footerLength)
        do {
            var thrift = ThriftCompactReader(ByteCursor(footerBytes, context: "\(context) footer"))
            let footer = try thrift.readStruct()
            metadata = try FileMetadata(footer, cursor: thrift.cursor)
            schema = try SchemaNode.tree(metadata.schema, cursor: thrift.cursor)
        } catch let error as ConveyorError {
            throw error.asInput
        }
        rowCount = metadata.numRows
        leaves = schema.leafPaths().map(LeafColumn.init)
        let groupRows = metadata.rowGroups.reduce(0) { $0 + $1.numRows }
        guard groupRows == rowCount else {
            throw ConveyorError(.invalidInput, "\(context): row groups hold \(groupRows) rows but the footer says \(rowCount)")
        }
    }

    public var rowGroupCount: Int { metadata.rowGroups.count }
    public func rowGroupRows(_ index: Int) -> Int { metadata.rowGroups[index].numRows }

    /// The byte offset of the row group's first page: byte-range shards
    /// give a row group to the worker whose range holds it.
    public func rowGroupStart(_ index: Int) -> Int {
        metadata.rowGroups[index].columns.map(\.start).min() ?? 0
    }

    /// Top-level column names in schema order.
    public var columnNames: [String] { schema.children.map(\.name) }

    /// What a top-level column reads as, or why it cannot be read.
    public func columnType(_ name: String) throws -> ColumnType {
        try readable(name).1
    }

    /// The named top-level columns of one row group, in the order asked.
    public func readRowGroup(_ index: Int, columns names: [String]) throws -> [Column] {
        let context = "Parquet file '\(source)'"
        let group = metadata.rowGroups[index]
        guard group.columns.count == leaves.count else {
            throw ConveyorError(.invalidInput, "\(context): row group \(index) has \(group.columns.count) "
                + "columns but the schema has \(leaves.count)")
        }
        guard group.numRows <= ColumnChunkReader.maxValues else {
            throw ConveyorError(.invalidInput, "\(context): row group \(index) has \(group.numRows) rows; "
                + "this reader accepts at most \(ColumnChunkReader.maxValues) per row group")
        }
        return try names.map { name in
            let (leafIndex, type) = try readable(name)
            let leaf = leaves[leafIndex]
            let chunk = group.columns[leafIndex]
            guard chunk.path == [name], chunk.type == leaf.leaf.element.type else {
                throw ConveyorError(.invalidInput, "\(context): row group \(index): the chunk of column '\(name)' "
                    + "does not match the schema")
            }
            guard chunk.totalCompressedSize <= Self.maxChunkBytes else {
                throw ConveyorError(.invalidInput, "\(context): column '\(name)' of row group \(index) is "
                    + "\(chunk.totalCompressedSize) bytes; the limit is \(Self.maxChunkBytes) bytes per column chunk")
            }
            let start = chunk.start
            guard start >= 4, chunk.totalCompressedSize <= footerStart - start else {
                throw ConveyorError(.invalidInput, "\(context): column '\(name)': chunk at \(start) "
                    + "(\(chunk.totalCompressedSize) bytes) lies outside the file")
            }
            do {
                let bytes = try reader.read(at: start, count: chunk.totalCompressedSize)
                let triplets = try ColumnChunkReader(file: bytes, base: start, fileEnd: footerStart, context: context,
                                                     leaf: leaf, chunk: chunk).read()
                return try DataColumn.build(name: name, type: type, element: leaf.leaf.element,
                                            maxDefinition: leaf.maxDefinition, triplets: triplets,
                                            rows: group.numRows, context: context)
            } catch let error as ConveyorError {
                throw error.asInput
            }
        }
    }

    /// The leaf index and Conveyor type of a readable top-level column.
    private func readable(_ name: String) throws -> (Int, ColumnType) {
        let context = "Parquet file '\(source)'"
        guard let node = schema.children.first(where: { $0.name == name }) else {
            throw ConveyorError(.invalidInput, "\(context) has no column '\(name)' (it has: "
                + columnNames.joined(separator: ", ") + ")", column: name)
        }
        guard node.isLeaf, let leafIndex = leaves.firstIndex(where: { $0.path.count == 1 && $0.path[0] === node }) else {
            throw ConveyorError(.invalidInput, "\(context): column '\(name)' is \(node.typeDescription); "
                + "only top-level primitive and string columns are read", column: name)
        }
        guard node.repetition != .repeated else {
            throw ConveyorError(.invalidInput, "\(context): column '\(name)' is a repeated field; "
                + "only top-level primitive and string columns are read", column: name)
        }
        return (leafIndex, try DataColumn.type(of: node.element, column: name, context: context))
    }
}

extension ConveyorError {
    /// Corrupt or unsupported data files are bad input, not bad models.
    var asInput: ConveyorError {
        var copy = self
        if copy.code == .modelCorrupt || copy.code == .unsupportedModel { copy.code = .invalidInput }
        return copy
    }
}
