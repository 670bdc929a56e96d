import ConveyorCore

extension FrameDecoder {
    /// `application/vnd.apache.arrow.stream`: the pipeline's inputs are
    /// taken by name from the stream's columns (others are ignored), typed
    /// as they come, never through text. The end-of-stream marker may be
    /// missing (a piece of a longer stream); nothing may follow it.
    func decodeArrowStream(_ body: UnsafeRawBufferPointer) throws -> Frame {
        guard !body.isEmpty else { throw Self.emptyBody() }
        var position = 0
        var index = 1
        var plan: ArrowStream.ColumnPlan?
        var builders = inputs.map { ColumnBuilder(spec: $0) }
        var rows = 0
        var batches = 0
        reading: while position < body.count {
            switch try ArrowStream.step(body, at: position, index: index) {
            case .incomplete:
                throw ConveyorError(.invalidInput, "Arrow message \(index) is cut short: the stream ends inside it")
            case .endOfStream(let end):
                guard end == body.count else {
                    throw ConveyorError(.invalidInput, "Arrow stream: \(body.count - end) bytes follow the end-of-stream marker")
                }
                position = end
                break reading
            case .message(let frame):
                let message = try ArrowStream.message(Array(body[frame.metadata]), index: index)
                if let plan {
                    switch message.kind {
                    case ArrowStream.Header.recordBatch.rawValue:
                        batches += 1
                        let batch = try ArrowStream.Batch(message, body: UnsafeRawBufferPointer(rebasing: body[frame.body]),
                                                          plan: plan, number: batches)
                        rows = try batch.append(into: &builders, plan: plan, rowsBefore: rows)
                    case ArrowStream.Header.dictionaryBatch.rawValue:
                        break  // Only for dictionary-encoded columns the pipeline does not read (the plan refuses others).
                    default:
                        throw ConveyorError(.invalidInput, "Arrow message \(index): \(ArrowStream.kindName(message.kind)) after the schema is not read")
                    }
                } else {
                    plan = try ArrowStream.ColumnPlan(fields: try ArrowStream.schema(message), inputs: inputs)
                }
                position = frame.end
            }
            index += 1
        }
        guard plan != nil else { throw ConveyorError(.invalidInput, "the Arrow stream has no schema") }
        return try frame(from: builders, rows: rows)
    }
}

extension ArrowStream {
    /// Which stream column feeds each pipeline input, and where every
    /// top-level column's nodes and buffers start in a batch.
    struct ColumnPlan {
        let fields: [Field]
        /// For each pipeline input, its column's index in `fields`.
        let sources: [Int]
        let firstNode: [Int]
        let firstBuffer: [Int]
        let nodeCount: Int
        let bufferCount: Int

        init(fields: [Field], inputs: [ColumnSpec]) throws {
            self.fields = fields
            var nodes = 0
            var buffers = 0
            var firstNode: [Int] = []
            var firstBuffer: [Int] = []
            func walk(_ field: Field) {
                nodes += 1
                // A dictionary-encoded node holds indices: validity and values.
                buffers += field.dictionaryEncoded ? 2 : field.type.bufferCount
                if !field.dictionaryEncoded { field.type.children.forEach(walk) }
            }
            for field in fields {
                firstNode.append(nodes)
                firstBuffer.append(buffers)
                walk(field)
            }
            self.firstNode = firstNode
            self.firstBuffer = firstBuffer
            nodeCount = nodes
            bufferCount = buffers
            sources = try inputs.map { spec in
                guard let index = fields.firstIndex(where: { $0.name == spec.name }) else {
                    throw ConveyorError(
                        .invalidInput,
                        "the Arrow stream has no column '\(spec.name)'; it has: "
                            + fields.map(\.name).joined(separator: ", "), column: spec.name)
                }
                try Self.check(fields[index], against: spec)
                return index
            }
        }

        /// Refuses, naming the column, an Arrow type the input cannot take.
        private static func check(_ field: Field, against spec: ColumnSpec) throws {
            func refuse(_ why: String = "") -> ConveyorError {
                ConveyorError(.invalidInput, "the Arrow stream has it as \(field.type); the pipeline reads \(spec.type)\(why)",
                              column: spec.name)
            }
            if field.dictionaryEncoded {
                throw refuse( ", dictionary-encoded, which is not read: cast it to a plain type, e.g. pa.string()")
            }
            switch (spec.type.shape, field.type) {
            case (.scalar, .utf8), (.scalar, .largeUTF8):
                guard spec.type.scalar == .string else { throw refuse() }
            case (.scalar, .bool):
                guard spec.type.scalar == .boolean else { throw refuse() }
            case (.scalar, .int), (.scalar, .float(bits: 32)), (.scalar, .float(bits: 64)):
                guard spec.type.scalar.isNumeric else { throw refuse() }
            case (.vector, .list(let child)), (.vector, .largeList(let child)), (.vector, .fixedSizeList(let child, _)):
                guard child.type == .float(bits: 64) || child.type == .float(bits: 32) else { throw refuse() }
            default:
                throw refuse()
            }
        }
    }
}
