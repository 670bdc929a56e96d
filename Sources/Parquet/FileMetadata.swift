import ConveyorCore

/// Parquet physical types (parquet.thrift `Type`).
enum PhysicalType: Int64, Sendable {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

enum Repetition: Int64, Sendable {
    case required = 0, optional, repeated
}

/// Compression codecs (parquet.thrift `CompressionCodec`).
enum Codec: Int64, Sendable {
    case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw

    var name: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }
}

/// Value encodings (parquet.thrift `Encoding`).
enum Encoding: Int64, Sendable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5,
         deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    static func name(_ raw: Int64) -> String {
        switch Encoding(rawValue: raw) {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        case nil: return "encoding \(raw)"
        }
    }
}

/// One entry of the footer's flattened schema.
struct SchemaElement: Sendable {
    var name: String
    var type: PhysicalType?
    var typeLength: Int?
    var repetition: Repetition
    var numChildren: Int
    /// ConvertedType UTF8 (0) / LIST (3), or the matching LogicalType.
    var isString: Bool
    var isList: Bool
    /// A logical/converted type that changes how values read (decimals,
    /// dates, unsigned integers…); nil for plain values and strings.
    var annotation: Annotation?

    init(_ s: ThriftStruct, cursor: ByteCursor) throws {
        name = s.string(4) ?? ""
        if let raw = s.int(1) {
            guard let type = PhysicalType(rawValue: raw) else { throw cursor.failure("column '\(name)' has unknown physical type \(raw)") }
            self.type = type
        }
        typeLength = s.int(2).map { Int(clamping: $0) }
        let rawRepetition = s.int(3) ?? 0
        guard let repetition = Repetition(rawValue: rawRepetition) else {
            throw cursor.failure("column '\(name)' has unknown repetition \(rawRepetition)")
        }
        self.repetition = repetition
        let children = s.int(5) ?? 0
        guard children >= 0, children <= Int64(Int32.max) else { throw cursor.failure("column '\(name)' has \(children) children") }
        numChildren = Int(children)
        let converted = s.int(6)
        let logical = s.structure(10)
        isString = converted == 0 || converted == 4 || logical?[1] != nil || logical?[4] != nil
        isList = converted == 3 || logical?[3] != nil
        annotation = Annotation(converted: converted, logical: logical)
    }
}

/// The logical types that matter to a reader of data files.
enum Annotation: Sendable, Equatable {
    case decimal, date, time, timestamp, interval, uuid, float16, json, bson
    /// UINT_8 … UINT_64 (or LogicalType INTEGER unsigned): the bits are unsigned.
    case unsigned(bits: Int)
    /// INT_8, INT_16 (or LogicalType INTEGER signed, narrower than its physical type).
    case signed(bits: Int)

    init?(converted: Int64?, logical: ThriftStruct?) {
        if let logical {
            if logical[5] != nil { self = .decimal; return }
            if logical[6] != nil { self = .date; return }
            if logical[7] != nil { self = .time; return }
            if logical[8] != nil { self = .timestamp; return }
            if let integer = logical.structure(10) {
                let bits = Int(clamping: integer.int(1) ?? 64)
                self = integer.bool(2) == false ? .unsigned(bits: bits) : .signed(bits: bits)
                return
            }
            if logical[12] != nil { self = .json; return }
            if logical[13] != nil { self = .bson; return }
            if logical[14] != nil { self = .uuid; return }
            if logical[15] != nil { self = .float16; return }
        }
        switch converted {
        case 5: self = .decimal
        case 6: self = .date
        case 7, 8: self = .time
        case 9, 10: self = .timestamp
        case 11: self = .unsigned(bits: 8)
        case 12: self = .unsigned(bits: 16)
        case 13: self = .unsigned(bits: 32)
        case 14: self = .unsigned(bits: 64)
        case 15: self = .signed(bits: 8)
        case 16: self = .signed(bits: 16)
        case 17: self = .signed(bits: 32)
        case 18: self = .signed(bits: 64)
        case 19: self = .json
        case 20: self = .bson
        case 21: self = .interval
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .decimal: return "DECIMAL"
        case .date: return "DATE"
        case .time: return "TIME"
        case .timestamp: return "TIMESTAMP"
        case .interval: return "INTERVAL"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .unsigned(let bits): return "UINT_\(bits)"
        case .signed(let bits): return "INT_\(bits)"
        }
    }
}

struct ColumnChunkMeta: Sendable {
    var path: [String]
    var type: PhysicalType
    var codec: Int64
    var numValues: Int
    var dataPageOffset: Int
    var dictionaryPageOffset: Int?
    var totalCompressedSize: Int

    /// Where the chunk's first page is: its dictionary page when it has one.
    /// Some writers put 0 in `dictionary_page_offset` for "none".
    var start: Int {
        guard let dictionary = dictionaryPageOffset, dictionary >= 4 else { return dataPageOffset }
        return min(dictionary, dataPageOffset)
    }
}

struct RowGroupMeta: Sendable {
    var numRows: Int
    var columns: [ColumnChunkMeta]
}

/// The parts of parquet.thrift `FileMetaData` this reader uses.
struct FileMetadata: Sendable {
    var schema: [SchemaElement]
    var numRows: Int
    var rowGroups: [RowGroupMeta]
    var createdBy: String?

    init(_ s: ThriftStruct, cursor: ByteCursor) throws {
        guard let rawSchema = s.list(2), !rawSchema.isEmpty else { throw cursor.failure("the footer has no schema") }
        schema = try rawSchema.map { value in
            guard case .structure(let element) = value else { throw cursor.failure("a schema element is not a struct") }
            return try SchemaElement(element, cursor: cursor)
        }
        numRows = try Self.count(s.int(3), "num_rows", cursor)
        createdBy = s.string(6)
        rowGroups = try (s.list(4) ?? []).map { value in
            guard case .structure(let group) = value else { throw cursor.failure("a row group is not a struct") }
            let rows = try Self.count(group.int(3), "row group num_rows", cursor)
            let columns = try (group.list(1) ?? []).map { chunk -> ColumnChunkMeta in
                guard case .structure(let chunk) = chunk, let meta = chunk.structure(3) else {
                    throw cursor.failure("a column chunk has no metadata (external column files are not supported)")
                }
                guard let rawType = meta.int(1), let type = PhysicalType(rawValue: rawType) else {
                    throw cursor.failure("a column chunk has no valid type")
                }
                let path = (meta.list(3) ?? []).compactMap { value -> String? in
                    if case .binary(let b) = value { return String(decoding: b, as: UTF8.self) }
                    return nil
                }
                return ColumnChunkMeta(
                    path: path, type: type, codec: meta.int(4) ?? 0,
                    numValues: try Self.count(meta.int(5), "num_values", cursor),
                    dataPageOffset: try Self.count(meta.int(9), "data_page_offset", cursor),
                    dictionaryPageOffset: try meta.int(11).map { try Self.count($0, "dictionary_page_offset", cursor) },
                    totalCompressedSize: try Self.count(meta.int(7), "total_compressed_size", cursor))
            }
            return RowGroupMeta(numRows: rows, columns: columns)
        }
    }

    static func count(_ value: Int64?, _ what: String, _ cursor: ByteCursor) throws -> Int {
        guard let value else { throw cursor.failure("\(what) is missing") }
        guard value >= 0, value <= Int64(Int32.max) * 64 else { throw cursor.failure("\(what) \(value) is out of range") }
        return Int(value)
    }
}
