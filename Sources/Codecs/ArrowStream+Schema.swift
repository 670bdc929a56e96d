import ConveyorCore

extension ArrowStream {
    /// The fields of a Schema message. Nesting and the total number of
    /// fields are bounded before anything is built from them.
    static func schema(_ message: Message) throws -> [Field] {
        guard message.kind == Header.schema.rawValue else {
            throw message.reader.failure("the stream must start with a Schema message, not \(kindName(message.kind))")
        }
        let reader = message.reader
        // Endianness: 0 little, 1 big.
        let endianness: Int16 = try reader.scalar(message.header, 0, default: 0)
        guard endianness == 0 else { throw reader.failure("the schema is big-endian; only little-endian streams are read") }
        var budget = maxFields
        return try reader.tables(message.header, 1, limit: maxFields).map { try field($0, reader: reader, depth: 0, budget: &budget) }
    }

    private static func field(_ table: FlatBufferReader.Table, reader: FlatBufferReader, depth: Int,
                              budget: inout Int) throws -> Field {
        budget -= 1
        guard budget >= 0 else { throw reader.failure("the schema has more than \(maxFields) fields") }
        guard depth < 4 else { throw reader.failure("the schema nests fields more than 4 deep") }
        let name = try reader.string(table, 0) ?? ""
        let nullable = try reader.bool(table, 1)
        let tag: UInt8 = try reader.scalar(table, 2, default: 0)
        let typeTable = try reader.subtable(table, 3)
        let dictionary = try reader.field(table, 4) != nil
        let children = try reader.tables(table, 5, limit: maxFields)
        func onlyChild() throws -> Field {
            guard children.count == 1 else {
                throw reader.failure("column '\(name)': a list has \(children.count) child fields, not 1")
            }
            return try field(children[0], reader: reader, depth: depth + 1, budget: &budget)
        }
        let type: FieldType
        switch tag {
        case 2:  // Int
            guard let typeTable else { throw reader.failure("column '\(name)': Int type without its table") }
            let bits: Int32 = try reader.scalar(typeTable, 0, default: 0)
            guard [8, 16, 32, 64].contains(bits) else { throw reader.failure("column '\(name)': integer of \(bits) bits") }
            type = .int(bits: Int(bits), signed: try reader.bool(typeTable, 1))
        case 3:  // FloatingPoint: HALF, SINGLE, DOUBLE
            let precision: Int16 = try typeTable.map { try reader.scalar($0, 0, default: 0) } ?? 0
            switch precision {
            case 1: type = .float(bits: 32)
            case 2: type = .float(bits: 64)
            default: type = .other(tag: tag, buffers: 2, children: [])  // float16: refused when read
            }
        case 5: type = .utf8
        case 6: type = .bool
        case 20: type = .largeUTF8
        case 12: type = .list(try onlyChild())
        case 21: type = .largeList(try onlyChild())
        case 16:
            guard let typeTable else { throw reader.failure("column '\(name)': FixedSizeList without its table") }
            let size: Int32 = try reader.scalar(typeTable, 0, default: 0)
            guard size >= 0 else { throw reader.failure("column '\(name)': fixed-size list of \(size) elements") }
            type = .fixedSizeList(try onlyChild(), size: Int(size))
        default:
            // Unread types still take nodes and buffers: kept so later columns are found.
            guard let buffers = skippedBufferCounts[tag] else {
                throw reader.failure("column '\(name)': Arrow type \(typeNames[Int(tag)] ?? "#\(tag)") cannot be read")
            }
            let kids = try children.map { try field($0, reader: reader, depth: depth + 1, budget: &budget) }
            type = .other(tag: tag, buffers: buffers, children: kids)
        }
        return Field(name: name, type: type, nullable: nullable, dictionaryEncoded: dictionary)
    }

    static func kindName(_ kind: UInt8) -> String {
        switch kind {
        case 1: return "a Schema message"
        case 2: return "a DictionaryBatch message"
        case 3: return "a RecordBatch message"
        case 4: return "a Tensor message"
        case 5: return "a SparseTensor message"
        default: return "a message of kind \(kind)"
        }
    }
}
