import ConveyorCore

/// Writes a Parquet file as a stream of bytes: `start`, one `rowGroup` per
/// batch of rows, then `finish` (the footer). Snappy pages v1, PLAIN
/// values; strings, booleans, integers, floats and doubles as optional
/// top-level fields, vectors and string lists as LIST columns.
public struct ParquetWriter: Sendable {
    /// Rows per data page: pages stay small whatever the row group size.
    static let pageRows = 16_384

    public let columns: [ColumnSpec]
    private var offset = 0
    private var rowGroups: [[ChunkRecord]] = []
    private var groupRows: [Int] = []

    struct ChunkRecord: Sendable {
        var name: String
        var physical: PhysicalType
        var values: Int
        var uncompressed: Int
        var compressed: Int
        var dataPageOffset: Int
    }

    public init(columns: [ColumnSpec]) throws {
        for spec in columns { _ = try Self.physical(spec) }
        self.columns = columns
    }

    static func physical(_ spec: ColumnSpec) throws -> PhysicalType {
        switch (spec.type.shape, spec.type.scalar) {
        case (.vector, _): return .double
        case (.list, .string), (.scalar, .string): return .byteArray
        case (.scalar, .boolean): return .boolean
        case (.scalar, .long): return .int64
        case (.scalar, .int), (.scalar, .short), (.scalar, .byte): return .int32
        case (.scalar, .float): return .float
        case (.scalar, .double): return .double
        default:
            throw ConveyorError(.invalidInput, "column '\(spec.name)' (\(spec.type)) has no Parquet form here", column: spec.name)
        }
    }

    /// The file's magic.
    public mutating func start() -> [UInt8] {
        offset = 4
        return Array("PAR1".utf8)
    }

    /// One row group of `columns` (matching the specs by position).
    public mutating func rowGroup(_ group: [Column]) throws -> [UInt8] {
        guard group.count == columns.count, let rows = group.first?.count, group.allSatisfy({ $0.count == rows }) else {
            throw ConveyorError(.internal, "a row group's columns do not match the writer's")
        }
        var out: [UInt8] = []
        var records: [ChunkRecord] = []
        for (spec, column) in zip(columns, group) {
            let encoder = ColumnPageEncoder(column: column, physical: try Self.physical(spec))
            var record = ChunkRecord(name: spec.name, physical: encoder.physical, values: 0, uncompressed: 0,
                                     compressed: 0, dataPageOffset: offset + out.count)
            for start in stride(from: 0, to: max(rows, 1), by: Self.pageRows) where rows > 0 {
                let page = try encoder.page(start..<min(rows, start + Self.pageRows))
                record.values += page.values
                record.compressed += page.bytes.count
                record.uncompressed += page.uncompressedSize
                out += page.bytes
            }
            records.append(record)
        }
        offset += out.count
        rowGroups.append(records)
        groupRows.append(rows)
        return out
    }

    /// The footer: schema, row groups, length and magic.
    public func finish() -> [UInt8] {
        var thrift = ThriftCompactWriter()
        thrift.int(1, 1)  // version
        let elements = 1 + columns.reduce(0) { $0 + ($1.type.isVector || $1.type.isList ? 3 : 1) }
        thrift.beginList(2, count: elements, of: .structure)
        thrift.beginElement()
        thrift.string(4, "schema")
        thrift.int(5, Int64(columns.count))
        thrift.endStruct()
        for spec in columns { Self.schemaElements(spec, into: &thrift) }
        thrift.int(3, Int64(groupRows.reduce(0, +)), wide: true)
        thrift.beginList(4, count: rowGroups.count, of: .structure)
        for (records, rows) in zip(rowGroups, groupRows) {
            thrift.beginElement()
            thrift.beginList(1, count: records.count, of: .structure)
            for (spec, record) in zip(columns, records) {
                thrift.beginElement()
                thrift.int(2, Int64(record.dataPageOffset), wide: true)
                thrift.beginStruct(3)
                thrift.int(1, record.physical.rawValue)
                thrift.beginList(2, count: 2, of: .i32)
                thrift.element(0)  // PLAIN
                thrift.element(3)  // RLE
                let path = spec.type.isVector || spec.type.isList ? [spec.name, "list", "element"] : [spec.name]
                thrift.beginList(3, count: path.count, of: .binary)
                for part in path { thrift.element(part) }
                thrift.int(4, 1)  // SNAPPY
                thrift.int(5, Int64(record.values), wide: true)
                thrift.int(6, Int64(record.uncompressed), wide: true)
                thrift.int(7, Int64(record.compressed), wide: true)
                thrift.int(9, Int64(record.dataPageOffset), wide: true)
                thrift.endStruct()
                thrift.endStruct()
            }
            thrift.int(2, Int64(records.reduce(0) { $0 + $1.uncompressed }), wide: true)
            thrift.int(3, Int64(rows), wide: true)
            thrift.endStruct()
        }
        thrift.string(6, "conveyor")
        let footer = thrift.finish()
        var out = footer
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { out += $0 }
        out += Array("PAR1".utf8)
        return out
    }

    /// A column's schema elements: one leaf, or a LIST group of three.
    private static func schemaElements(_ spec: ColumnSpec, into thrift: inout ThriftCompactWriter) {
        func leaf(_ name: String, _ physical: PhysicalType, _ repetition: Repetition, _ scalar: ScalarType) {
            thrift.beginElement()
            thrift.int(1, physical.rawValue)
            thrift.int(3, repetition.rawValue)
            thrift.string(4, name)
            switch scalar {
            case .string:
                thrift.int(6, 0)  // UTF8
                thrift.beginStruct(10)
                thrift.beginStruct(1)  // STRING
                thrift.endStruct()
                thrift.endStruct()
            case .short, .byte:
                thrift.int(6, scalar == .short ? 16 : 15)  // INT_16 / INT_8
            default: break
            }
            thrift.endStruct()
        }
        guard spec.type.isVector || spec.type.isList else {
            // Checked in init.
            leaf(spec.name, (try? physical(spec)) ?? .double, .optional, spec.type.scalar)
            return
        }
        thrift.beginElement()
        thrift.int(3, Repetition.optional.rawValue)
        thrift.string(4, spec.name)
        thrift.int(5, 1)
        thrift.int(6, 3)  // LIST
        thrift.beginStruct(10)
        thrift.beginStruct(3)  // LIST
        thrift.endStruct()
        thrift.endStruct()
        thrift.endStruct()
        thrift.beginElement()
        thrift.int(3, Repetition.repeated.rawValue)
        thrift.string(4, "list")
        thrift.int(5, 1)
        thrift.endStruct()
        leaf("element", spec.type.isVector ? .double : .byteArray, .required, spec.type.isVector ? .double : .string)
    }
}
