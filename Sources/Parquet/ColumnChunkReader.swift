import ConveyorCore

/// One leaf column of one row group decoded into Dremel triplets:
/// a definition and repetition level per entry, and the non-null values.
struct ColumnTriplets {
    var definitions: [Int] = []
    var repetitions: [Int] = []
    var values: [ParquetValue] = []
}

/// Reads the pages of a column chunk: an optional dictionary page, then
/// data pages v1 or v2 with PLAIN or dictionary-encoded values.
struct ColumnChunkReader {
    /// The file's bytes from offset `base` on (all of it for model files;
    /// one column chunk for data files read a row group at a time).
    let file: [UInt8]
    var base = 0
    let fileEnd: Int
    let context: String
    let leaf: LeafColumn
    let chunk: ColumnChunkMeta

    /// Most values one chunk may hold: bounds what RLE runs can make a
    /// tiny corrupt page allocate. Model data is far below it.
    static let maxValues = 1 << 24

    func read() throws -> ColumnTriplets {
        let column = leaf.dottedPath
        guard chunk.numValues <= Self.maxValues else {
            throw ConveyorError(.unsupportedModel, "\(context): column '\(column)' has \(chunk.numValues) values; "
                + "this reader accepts at most \(Self.maxValues) per row group")
        }
        let start = chunk.start
        guard start >= 4, chunk.totalCompressedSize <= fileEnd - start, start >= base,
              chunk.totalCompressedSize <= file.count - (start - base) else {
            throw ConveyorError(.modelCorrupt, "\(context): column '\(column)': chunk at \(start) "
                + "(\(chunk.totalCompressedSize) bytes) lies outside the file")
        }
        var cursor = ByteCursor(file, from: start - base, end: start - base + chunk.totalCompressedSize,
                                context: "\(context): column '\(column)'")
        var out = ColumnTriplets()
        var dictionary: [ParquetValue]?
        while out.definitions.count < chunk.numValues {
            guard !cursor.isAtEnd else {
                throw cursor.failure("the chunk ends after \(out.definitions.count) of \(chunk.numValues) values")
            }
            var thrift = ThriftCompactReader(cursor)
            let header = try thrift.readStruct()
            cursor = thrift.cursor
            let pageType = header.int(1) ?? -1
            let uncompressed = Int(clamping: header.int(2) ?? -1)
            let compressed = Int(clamping: header.int(3) ?? -1)
            guard compressed >= 0, uncompressed >= 0 else { throw cursor.failure("a page header lacks its sizes") }
            let body = try cursor.take(compressed)
            switch pageType {
            case 2:
                guard dictionary == nil else { throw cursor.failure("a second dictionary page") }
                guard let dict = header.structure(7) else { throw cursor.failure("a dictionary page without its header") }
                let count = Int(clamping: dict.int(1) ?? -1)
                guard count >= 0 else { throw cursor.failure("dictionary value count missing") }
                let encoding = dict.int(2) ?? 0
                guard encoding == Encoding.plain.rawValue || encoding == Encoding.plainDictionary.rawValue else {
                    throw unsupported("dictionary page encoding \(Encoding.name(encoding))")
                }
                let bytes = try Decompressor.decompress(body, codec: chunk.codec, uncompressedSize: uncompressed,
                                                        context: context, column: column)
                var page = ByteCursor(bytes, context: cursor.context)
                dictionary = try PlainDecoder.decode(&page, type: chunk.type, count: count,
                                                     typeLength: leaf.leaf.element.typeLength,
                                                     isString: leaf.leaf.element.isString, column: column)
            case 0:
                guard let data = header.structure(5) else { throw cursor.failure("a data page without its header") }
                let bytes = try Decompressor.decompress(body, codec: chunk.codec, uncompressedSize: uncompressed,
                                                        context: context, column: column)
                var page = ByteCursor(bytes, context: cursor.context)
                let count = try pageCount(data.int(1), cursor)
                let reps = try v1Levels(&page, max: leaf.maxRepetition, count: count, encoding: data.int(4) ?? 3)
                let defs = try v1Levels(&page, max: leaf.maxDefinition, count: count, encoding: data.int(3) ?? 3)
                try appendPage(&out, defs: defs, reps: reps, encoding: data.int(2) ?? 0, values: &page,
                               dictionary: dictionary)
            case 3:
                guard let data = header.structure(8) else { throw cursor.failure("a v2 data page without its header") }
                let count = try pageCount(data.int(1), cursor)
                let defLength = Int(clamping: data.int(5) ?? -1)
                let repLength = Int(clamping: data.int(6) ?? -1)
                let (levelBytes, overflow) = defLength.addingReportingOverflow(repLength)
                guard defLength >= 0, repLength >= 0, !overflow, levelBytes <= body.count,
                      levelBytes <= uncompressed else {
                    throw cursor.failure("v2 page level lengths \(repLength)+\(defLength) exceed the page")
                }
                let bodyBytes = Array(body)
                var repCursor = ByteCursor(bodyBytes, from: 0, end: repLength, context: cursor.context)
                var defCursor = ByteCursor(bodyBytes, from: repLength, end: repLength + defLength, context: cursor.context)
                let reps = try HybridDecoder.decode(&repCursor, bitWidth: HybridDecoder.bitWidth(leaf.maxRepetition), count: count)
                let defs = try HybridDecoder.decode(&defCursor, bitWidth: HybridDecoder.bitWidth(leaf.maxDefinition), count: count)
                let valueSlice = bodyBytes[(repLength + defLength)...]
                let isCompressed = data.bool(7) ?? true
                let valueBytes = isCompressed
                    ? try Decompressor.decompress(valueSlice, codec: chunk.codec,
                                                  uncompressedSize: uncompressed - repLength - defLength,
                                                  context: context, column: column)
                    : Array(valueSlice)
                var page = ByteCursor(valueBytes, context: cursor.context)
                try appendPage(&out, defs: defs, reps: reps, encoding: data.int(4) ?? 0, values: &page,
                               dictionary: dictionary)
            default:
                continue  // index pages and unknown page types carry no values
            }
        }
        guard out.definitions.count == chunk.numValues else {
            throw cursor.failure("pages hold \(out.definitions.count) values but the chunk says \(chunk.numValues)")
        }
        return out
    }

    private func pageCount(_ raw: Int64?, _ cursor: ByteCursor) throws -> Int {
        guard let raw, raw >= 0, raw <= Int64(chunk.numValues) else {
            throw cursor.failure("page value count \(raw.map(String.init) ?? "missing") is out of range")
        }
        return Int(raw)
    }

    private func unsupported(_ feature: String) -> ConveyorError {
        ConveyorError(.unsupportedModel, "\(context): column '\(leaf.dottedPath)' uses \(feature), which this "
            + "reader does not support (it reads PLAIN, dictionary and DELTA_BINARY_PACKED encodings, as Spark's writers produce)")
    }

    /// v1 levels: a 4-byte length, then the RLE hybrid (absent when max is 0).
    private func v1Levels(_ page: inout ByteCursor, max: Int, count: Int, encoding: Int64) throws -> [Int] {
        guard max > 0 else { return [Int](repeating: 0, count: count) }
        guard encoding == Encoding.rle.rawValue else { throw unsupported("level encoding \(Encoding.name(encoding))") }
        let length = Int(try page.littleEndian(4))
        let slice = try page.take(length)
        var levels = ByteCursor(Array(slice), context: page.context)
        return try HybridDecoder.decode(&levels, bitWidth: HybridDecoder.bitWidth(max), count: count)
    }

    private func appendPage(_ out: inout ColumnTriplets, defs: [Int], reps: [Int], encoding: Int64,
                            values page: inout ByteCursor, dictionary: [ParquetValue]?) throws {
        let maxDef = leaf.maxDefinition
        guard defs.allSatisfy({ $0 <= maxDef }), reps.allSatisfy({ $0 <= leaf.maxRepetition }) else {
            throw page.failure("a level exceeds the column's maximum")
        }
        guard out.definitions.isEmpty ? (reps.first ?? 0) == 0 : true else {
            throw page.failure("the first value of the column continues a row")
        }
        let present = defs.lazy.filter { $0 == maxDef }.count
        let element = leaf.leaf.element
        switch Encoding(rawValue: encoding) {
        case .plain:
            out.values += try PlainDecoder.decode(&page, type: chunk.type, count: present, typeLength: element.typeLength,
                                                  isString: element.isString, column: leaf.dottedPath)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw page.failure("dictionary-encoded page without a dictionary page") }
            let width = present == 0 ? 0 : Int(try page.byte())
            let indices = try HybridDecoder.decode(&page, bitWidth: width, count: present)
            for index in indices {
                guard index < dictionary.count else {
                    throw page.failure("dictionary index \(index) out of range (\(dictionary.count) entries)")
                }
                out.values.append(dictionary[index])
            }
        case .deltaBinaryPacked where chunk.type == .int32 || chunk.type == .int64:
            out.values += try DeltaDecoder.decode(&page, count: present, is32Bit: chunk.type == .int32,
                                                  column: leaf.dottedPath)
        case .rle where chunk.type == .boolean:
            let length = Int(try page.littleEndian(4))
            var bits = ByteCursor(Array(try page.take(length)), context: page.context)
            out.values += try HybridDecoder.decode(&bits, bitWidth: 1, count: present).map { .bool($0 == 1) }
        default:
            throw unsupported("value encoding \(Encoding.name(encoding))")
        }
        out.definitions += defs
        out.repetitions += reps
    }
}
