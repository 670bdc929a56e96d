import ConveyorCore

extension ArrowStream {
    typealias Node = FlatBufferWriter.Node

    /// A whole stream: the schema, one record batch of every row, the
    /// end-of-stream marker. Scalars keep their width (int8…int64,
    /// float32 for `float`), vectors are `list<float64>` (`list<float32>`),
    /// nulls go in validity bitmaps.
    static func encode(_ columns: [Column], rows: Int) throws -> [UInt8] {
        var fields: [Node] = []
        var nodes = ByteWriter()
        var buffers = ByteWriter()
        var body: [UInt8] = []
        func addNode(length: Int, nulls: Int) {
            nodes.appendLittleEndian(Int64(length))
            nodes.appendLittleEndian(Int64(nulls))
        }
        func addBuffer(_ bytes: [UInt8]) {
            buffers.appendLittleEndian(Int64(body.count))
            buffers.appendLittleEndian(Int64(bytes.count))
            body.append(contentsOf: bytes)
            while body.count % 8 != 0 { body.append(0) }
        }
        for column in columns {
            let nullCount = column.nulls?.reduce(0) { $0 + ($1 ? 1 : 0) } ?? 0
            addNode(length: rows, nulls: nullCount)
            addBuffer(nullCount > 0 ? validity(column.nulls ?? []) : [])
            let floatWidth = column.type.scalar == .float
            var children: [Node] = []
            let type: (tag: UInt8, table: Node)
            switch column.values {
            case .double(let values):
                type = floatType(floatWidth)
                addBuffer(floatWidth ? littleEndian(values.map { Float($0).bitPattern }) : littleEndian(values.map(\.bitPattern)))
            case .int(let values):
                let bits = intBits(column.type.scalar)
                type = (2, .table([.i32(Int32(bits)), .u8(1)]))
                switch bits {
                case 8: addBuffer(values.map { UInt8(bitPattern: Int8(truncatingIfNeeded: $0)) })
                case 16: addBuffer(littleEndian(values.map { Int16(truncatingIfNeeded: $0) }))
                case 32: addBuffer(littleEndian(values.map { Int32(truncatingIfNeeded: $0) }))
                default: addBuffer(littleEndian(values))
                }
            case .bool(let values):
                type = (6, .table([]))
                addBuffer(validity(values.map { !$0 }))
            case .string(let values):
                type = (5, .table([]))
                var offsets: [Int32] = [0]
                var data: [UInt8] = []
                for value in values {
                    data.append(contentsOf: value.utf8)
                    guard let end = Int32(exactly: data.count) else {
                        throw ConveyorError(.unsupportedAccept, "column '\(column.name)' holds more than 2 GB of text", column: column.name)
                    }
                    offsets.append(end)
                }
                addBuffer(littleEndian(offsets))
                addBuffer(data)
            case .vector(let block):
                type = (12, .table([]))
                let (total, overflow) = block.width.multipliedReportingOverflow(by: rows)
                guard !overflow, Int32(exactly: total) != nil else {
                    throw ConveyorError(.unsupportedAccept, "column '\(column.name)' holds too many vector elements", column: column.name)
                }
                addBuffer(littleEndian((0...rows).map { Int32($0 * block.width) }))
                addNode(length: total, nulls: 0)
                addBuffer([])
                addBuffer(floatWidth ? littleEndian(block.storage.map { Float($0).bitPattern })
                                     : littleEndian(block.storage.map(\.bitPattern)))
                let element = floatType(floatWidth)
                children = [field("item", tag: element.tag, type: element.table, children: [])]
            case .stringLists:
                throw ConveyorError(
                    .unsupportedAccept, "Arrow output of '\(column.name)', a list of strings per row, is not written; "
                        + "accept application/json or application/jsonlines", column: column.name)
            }
            fields.append(field(column.name, tag: type.tag, type: type.table, children: children))
        }
        let schema = Node.table([nil, .offset(.tables(fields))])
        let batch = Node.table([.i64(Int64(rows)),
                                .offset(.structs(bytes: nodes.bytes, count: nodes.bytes.count / 16)),
                                .offset(.structs(bytes: buffers.bytes, count: buffers.bytes.count / 16))])
        var stream = encapsulate(header: .schema, schema, body: [])
        stream += encapsulate(header: .recordBatch, batch, body: body)
        stream += endOfStream
        return stream
    }

    private static func field(_ name: String, tag: UInt8, type: Node, children: [Node]) -> Node {
        .table([.offset(.string(name)), .u8(1), .u8(tag), .offset(type), nil, .offset(.tables(children))])
    }

    private static func floatType(_ single: Bool) -> (tag: UInt8, table: Node) {
        (3, .table([.i16(single ? 1 : 2)]))
    }

    private static func intBits(_ scalar: ScalarType) -> Int {
        switch scalar {
        case .byte: return 8
        case .short: return 16
        case .int: return 32
        default: return 64
        }
    }

    /// A bitmap with a set bit for each `false` in `nulls` (a valid value).
    private static func validity(_ nulls: [Bool]) -> [UInt8] {
        var bits = [UInt8](repeating: 0, count: (nulls.count + 7) / 8)
        for (index, isNull) in nulls.enumerated() where !isNull { bits[index >> 3] |= 1 << UInt8(index & 7) }
        return bits
    }

    private static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        #if _endian(little)
        return values.withUnsafeBytes { Array($0) }
        #else
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
        #endif
    }

    /// The continuation marker, the metadata length, the Message (V5) and the body.
    private static func encapsulate(header: Header, _ table: Node, body: [UInt8]) -> [UInt8] {
        let message = FlatBufferWriter.finish(.table([.i16(4), .u8(header.rawValue), .offset(table), .i64(Int64(body.count))]))
        var bytes = continuation
        withUnsafeBytes(of: Int32(message.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += message
        bytes += body
        return bytes
    }
}

extension ByteWriter {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { append(bytes: Array($0)) }
    }
}
