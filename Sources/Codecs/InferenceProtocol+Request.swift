import ConveyorCore

extension InferenceProtocol {
    /// A decoded inference request: the pipeline's input frame, and what the
    /// response must carry back.
    public struct Request: Sendable {
        public var id: String?
        public var frame: Frame
        /// The `outputs` the client named, in its order; nil: all of them.
        public var outputs: [String]?
    }

    /// Reads `{"id"?, "parameters"?, "inputs": [tensors], "outputs"?: [{"name"}]}`
    /// into a frame of the pipeline's input columns, with the project's one
    /// JSON parser and the same column builders as the JSON codec.
    ///
    /// Tensors map to columns by name (see `InferenceProtocol`); `data` is
    /// flat row-major or nested, and must hold exactly as many elements as
    /// `shape` says. A request with one tensor named after no column, of
    /// shape `[N, c]` where c is the number of (scalar) input columns, is
    /// taken as whole rows in column order: `BYTES` for any columns (each
    /// value read as CSV would read it), numbers for numeric ones.
    public struct RequestDecoder: Sendable {
        public let inputs: [ColumnSpec]

        public init(inputs: [ColumnSpec]) {
            self.inputs = inputs
        }

        /// Throws `.invalidInput` naming the tensor (and row and column),
        /// `.emptyInput` for an empty body or zero rows.
        public func decode(_ body: UnsafeRawBufferPointer) throws -> Request {
            guard !body.allSatisfy(RecordSplitter.isBlank) else { throw FrameDecoder.emptyBody() }
            var parser = JSONParser(body)
            let document = try parser.parseDocument()
            guard case .object = document else {
                throw ConveyorError(.invalidInput, "an inference request is a JSON object with 'inputs', found \(document.kindName)")
            }
            var id: String?
            switch document["id"] {
            case nil, .null?: break
            case .string(let text)?: id = text
            case let other?: throw ConveyorError(.invalidInput, "'id' must be a string, found \(other.kindName)")
            }
            guard case .array(let items)? = document["inputs"], !items.isEmpty else {
                throw ConveyorError(.invalidInput, "an inference request needs 'inputs', a non-empty list of tensors")
            }
            let tensors = try items.enumerated().map { try Tensor($0.element, index: $0.offset) }
            return try decode(tensors, id: id, outputs: try Self.requestedOutputs(document["outputs"]))
        }

        /// The request of tensors already read (gRPC's `ModelInferRequest`):
        /// the same checks and columns as a REST body's.
        public func decode(_ tensors: [Tensor], id: String?, outputs: [String]?) throws -> Request {
            guard !tensors.isEmpty else {
                throw ConveyorError(.invalidInput, "an inference request needs 'inputs', a non-empty list of tensors")
            }
            return Request(id: id, frame: try frame(from: tensors), outputs: outputs)
        }

        private static func requestedOutputs(_ value: JSONValue?) throws -> [String]? {
            guard let value, value != .null else { return nil }
            guard case .array(let items) = value else {
                throw ConveyorError(.invalidInput, "'outputs' must be a list of {\"name\": …}, found \(value.kindName)")
            }
            return try items.enumerated().map { index, item in
                guard case .string(let name)? = item["name"] else {
                    throw ConveyorError(.invalidInput, "output \(index + 1) needs a 'name' string")
                }
                return name
            }
        }

        private func frame(from tensors: [Tensor]) throws -> Frame {
            let byName = Dictionary(inputs.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
            if tensors.count == 1, byName[tensors[0].name] == nil, let rows = try rowTensorRows(tensors[0]) {
                return try wholeRows(tensors[0], rows: rows)
            }
            var assigned = [Tensor?](repeating: nil, count: inputs.count)
            for tensor in tensors {
                guard let column = byName[tensor.name] else {
                    throw ConveyorError(
                        .invalidInput,
                        "unknown input tensor '\(tensor.name.boundedForMessage(100))'; the model's inputs are "
                            + inputs.map(\.name).joined(separator: ", "))
                }
                guard assigned[column] == nil else {
                    throw ConveyorError(.invalidInput, "input tensor '\(tensor.name)' is given twice", column: tensor.name)
                }
                assigned[column] = tensor
            }
            let missing = inputs.indices.filter { assigned[$0] == nil }.map { inputs[$0].name }
            guard missing.isEmpty else {
                throw ConveyorError(
                    .invalidInput,
                    "missing input tensor\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")); "
                        + "the model's inputs are \(inputs.map(\.name).joined(separator: ", "))",
                    column: missing.count == 1 ? missing[0] : nil)
            }
            var rowCount: Int?
            var frameColumns: [Column] = []
            frameColumns.reserveCapacity(inputs.count)
            for (spec, tensor) in zip(inputs, assigned) {
                guard let tensor else { continue }
                let rows = try tensor.rows(for: spec)
                if let rowCount, rows != rowCount {
                    throw ConveyorError(
                        .invalidInput,
                        "input tensor '\(tensor.name)' has \(rows) rows (shape \(tensor.shape)) but "
                            + "'\(assigned.compactMap { $0 }.first?.name ?? "")' has \(rowCount)",
                        column: tensor.name)
                }
                rowCount = rows
                frameColumns.append(try tensor.column(spec, rows: rows))
            }
            return try Self.frame(frameColumns, rows: rowCount ?? 0)
        }

        /// Rows of a whole-rows tensor (`[N, c]` for c scalar columns), or
        /// nil when it is not shaped like one. Numbers need numeric columns.
        private func rowTensorRows(_ tensor: Tensor) throws -> Int? {
            guard inputs.count > 1, tensor.shape.count == 2, tensor.shape[1] == inputs.count,
                  inputs.allSatisfy({ $0.type.shape == .scalar })
            else { return nil }
            if tensor.datatype != .bytes, let text = inputs.first(where: { !$0.type.scalar.isNumeric }) {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(tensor.name)' holds whole rows as \(tensor.datatype.rawValue), but column "
                        + "'\(text.name)' is \(text.type); send whole rows as BYTES, or one tensor per column",
                    column: text.name)
            }
            try tensor.checkElementCount()
            return tensor.shape[0]
        }

        private func wholeRows(_ tensor: Tensor, rows: Int) throws -> Frame {
            var builders = inputs.map { ColumnBuilder(spec: $0, capacity: rows) }
            let width = inputs.count
            try tensor.forEachElement { index, value in
                let (row, column) = index.quotientAndRemainder(dividingBy: width)
                try tensor.append(value, to: &builders[column], row: row + 1, index: index)
            }
            let columns = try builders.indices.map { tensor.roundedToFloat(try builders[$0].build()) }
            return try Self.frame(columns, rows: rows)
        }

        private static func frame(_ columns: [Column], rows: Int) throws -> Frame {
            guard rows > 0 else { throw ConveyorError(.emptyInput, "the request has no rows (every tensor's first dimension is 0)") }
            var frame = Frame(rowCount: rows)
            for column in columns { try frame.put(column) }
            return frame
        }
    }
}
