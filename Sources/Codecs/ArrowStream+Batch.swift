import ConveyorCore

extension ArrowStream {
    /// Rows one record batch may hold (Spark and pyarrow write thousands).
    public static let maxBatchRows = 1 << 22

    /// One RecordBatch message over its body: field nodes and buffers
    /// checked against the plan and the body before any value is read.
    struct Batch {
        struct Node {
            var length: Int
            var nullCount: Int
        }

        let body: UnsafeRawBufferPointer
        let number: Int
        let length: Int
        let nodes: [Node]
        let buffers: [Range<Int>]

        init(_ message: Message, body: UnsafeRawBufferPointer, plan: ColumnPlan, number: Int) throws {
            let reader = message.reader
            self.body = body
            self.number = number
            func fail(_ problem: String) -> ConveyorError {
                ConveyorError(.invalidInput, "Arrow record batch \(number): \(problem)")
            }
            guard try reader.field(message.header, 3) == nil else {
                throw fail("compressed bodies (LZ4, ZSTD) are not read; write the stream uncompressed")
            }
            let rows: Int64 = try reader.scalar(message.header, 0, default: 0)
            guard rows >= 0, rows <= Int64(ArrowStream.maxBatchRows) else {
                throw fail("\(rows) rows is not within 0...\(ArrowStream.maxBatchRows)")
            }
            length = Int(rows)
            let nodeVector = try reader.vector(message.header, 1, elementSize: 16)
            let bufferVector = try reader.vector(message.header, 2, elementSize: 16)
            guard let nodeVector, nodeVector.count == plan.nodeCount else {
                throw fail("has \(nodeVector?.count ?? 0) field nodes; the schema needs \(plan.nodeCount)")
            }
            guard let bufferVector, bufferVector.count == plan.bufferCount else {
                throw fail("has \(bufferVector?.count ?? 0) buffers; the schema needs \(plan.bufferCount)")
            }
            nodes = try (0..<nodeVector.count).map { index in
                let at = nodeVector.start + 16 * index
                let length = try reader.load(Int64.self, at: at)
                let nulls = try reader.load(Int64.self, at: at + 8)
                guard length >= 0, length <= Int64(ArrowStream.maxMessageBytes) * 8, nulls >= 0, nulls <= length else {
                    throw fail("field node \(index + 1) has length \(length) and null count \(nulls)")
                }
                return Node(length: Int(length), nullCount: Int(nulls))
            }
            buffers = try (0..<bufferVector.count).map { index in
                let at = bufferVector.start + 16 * index
                let offset = try reader.load(Int64.self, at: at)
                let size = try reader.load(Int64.self, at: at + 8)
                guard offset >= 0, size >= 0, offset <= Int64(body.count), size <= Int64(body.count) - offset else {
                    throw fail("buffer \(index + 1) (offset \(offset), \(size) bytes) is outside the \(body.count)-byte body")
                }
                return Int(offset)..<Int(offset + size)
            }
        }

        func failure(_ column: String, _ problem: String) -> ConveyorError {
            ConveyorError(.invalidInput, "Arrow record batch \(number): \(problem)", column: column.isEmpty ? nil : column)
        }

        /// The bytes of buffer `index`, at least `minimum` of them.
        func buffer(_ index: Int, minimum: Int, column: String, what: String) throws -> UnsafeRawBufferPointer {
            let range = buffers[index]
            guard range.count >= minimum else {
                throw failure(column, "its \(what) buffer has \(range.count) bytes; \(minimum) are needed")
            }
            return UnsafeRawBufferPointer(rebasing: body[range])
        }

        /// A node's validity: nil when every value is present.
        func validity(node: Int, buffer: Int, column: String) throws -> UnsafeRawBufferPointer? {
            let info = nodes[node]
            guard info.nullCount > 0 else { return nil }
            return try self.buffer(buffer, minimum: (info.length + 7) / 8, column: column, what: "validity")
        }

        /// A node's `length + 1` offsets (Int32 or Int64), checked to rise
        /// and to stay within `limit` (the data's bytes or the child's length).
        func offsets(node: Int, buffer: Int, wide: Bool, limit: Int, column: String) throws -> [Int] {
            let count = nodes[node].length + 1
            let width = wide ? 8 : 4
            let bytes = try self.buffer(buffer, minimum: count * width, column: column, what: "offsets")
            var result: [Int] = []
            result.reserveCapacity(count)
            var previous = 0
            for index in 0..<count {
                let value = wide ? Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)))
                                 : Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
                guard value >= 0, value <= limit, index == 0 || value >= previous else {
                    throw failure(column, "offset \(index) (\(value)) is not within \(index == 0 ? 0 : previous)...\(limit)")
                }
                result.append(value)
                previous = value
            }
            return result
        }
    }
}

@inline(__always)
func arrowBit(_ bitmap: UnsafeRawBufferPointer, _ index: Int) -> Bool {
    bitmap[index >> 3] & (1 << UInt8(index & 7)) != 0
}
