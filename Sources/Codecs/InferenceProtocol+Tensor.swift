import ConveyorCore

extension InferenceProtocol {
    /// One input tensor of a request, checked against its declared shape
    /// before any column is built (so a shape cannot make us allocate).
    public struct Tensor: Sendable {
        public let name: String
        public let datatype: Datatype
        public let shape: [Int]
        let data: TensorData

        /// A tensor given in typed form (gRPC): `datatype` as the protocol
        /// names it, `data` nil when the request carried no values for it.
        public init(name: String, datatype typeName: String, shape dimensions: [Int64], data: TensorData?) throws {
            self.name = name
            datatype = try Self.datatype(typeName, tensor: name)
            shape = try Self.shape(dimensions.map { Int(exactly: $0) }, tensor: name)
            guard let data else {
                throw ConveyorError(
                    .invalidInput, "input tensor '\(name.boundedForMessage(100))' has no values: give its "
                        + "\(TensorData.contentsField(for: datatype)) or raw_input_contents", column: name)
            }
            self.data = data
        }

        /// A tensor's datatype by its protocol name; FP16 and unknown names refused.
        static func datatype(_ typeName: String, tensor name: String) throws -> Datatype {
            let shown = name.boundedForMessage(100)
            guard let datatype = Datatype(rawValue: typeName) else {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(shown)' has unknown datatype '\(typeName.boundedForMessage(40))'; expected one of "
                        + Datatype.allCases.map(\.rawValue).joined(separator: ", "),
                    column: name)
            }
            guard datatype != .fp16 else { throw fp16Refusal(tensor: name) }
            return datatype
        }

        /// FP16 has no typed field and Conveyor no half-precision column: refused wherever it appears.
        static func fp16Refusal(tensor name: String) -> ConveyorError {
            ConveyorError(.invalidInput, "input tensor '\(name.boundedForMessage(100))' is FP16, which Conveyor does not take: "
                + "send FP32 or FP64", column: name)
        }

        /// A declared shape: at least one size, each a whole number ≥ 0 (nil: not one).
        static func shape(_ sizes: [Int?], tensor name: String) throws -> [Int] {
            let shown = name.boundedForMessage(100)
            guard !sizes.isEmpty else {
                throw ConveyorError(.invalidInput, "input tensor '\(shown)' needs a 'shape', a non-empty list of sizes", column: name)
            }
            return try sizes.map { size in
                guard let size, size >= 0 else {
                    throw ConveyorError(
                        .invalidInput, "input tensor '\(shown)' has a shape size that is not a whole number ≥ 0", column: name)
                }
                return size
            }
        }

        init(_ json: JSONValue, index: Int) throws {
            guard case .object = json else {
                throw ConveyorError(.invalidInput, "input \(index + 1) must be a tensor object, found \(json.kindName)")
            }
            guard case .string(let name)? = json["name"] else {
                throw ConveyorError(.invalidInput, "input \(index + 1) needs a 'name' string")
            }
            self.name = name
            let shown = name.boundedForMessage(100)
            guard case .string(let typeName)? = json["datatype"] else {
                throw ConveyorError(.invalidInput, "input tensor '\(shown)' needs a 'datatype' string", column: name)
            }
            datatype = try Self.datatype(typeName, tensor: name)
            guard case .array(let dimensions)? = json["shape"] else {
                throw ConveyorError(.invalidInput, "input tensor '\(shown)' needs a 'shape', a non-empty list of sizes", column: name)
            }
            shape = try Self.shape(dimensions.map { dimension in
                guard case .number(let text) = dimension else { return nil }
                return Int(text)
            }, tensor: name)
            if case .object(let members)? = json["parameters"], members.contains(where: { $0.key == "binary_data_size" }) {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(shown)' uses the binary data extension, which Conveyor does not take: send 'data' "
                        + "as JSON (tritonclient: set_data_from_numpy(…, binary_data=False))",
                    column: name)
            }
            guard case .array(let data)? = json["data"] else {
                throw ConveyorError(.invalidInput, "input tensor '\(shown)' needs 'data', a list of values", column: name)
            }
            self.data = .json(data)
        }

        /// Elements `shape` calls for; nil when the product overflows.
        var shapeCount: Int? {
            var product = 1
            for size in shape {
                let (next, overflow) = product.multipliedReportingOverflow(by: size)
                if overflow { return nil }
                product = next
            }
            return product
        }

        /// `data` must hold exactly the elements `shape` says.
        func checkElementCount() throws {
            let count = data.count
            guard let expected = shapeCount, expected == count else {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(name)' has shape \(shape), which holds \(shapeCount.map(String.init) ?? "too many") "
                        + "elements, but its data has \(count)",
                    column: name)
            }
        }

        /// The rows this tensor gives `spec`, after checking its datatype and shape.
        func rows(for spec: ColumnSpec) throws -> Int {
            let wanted = Datatype(spec.type.scalar)
            let fits: Bool
            switch (spec.type.shape, spec.type.scalar) {
            case (.list, _):
                throw ConveyorError(
                    .invalidInput,
                    "column '\(name)' is a list of strings per row, which a tensor cannot carry; send it to /invocations as JSON",
                    column: name)
            case (.vector, _), (.scalar, .float), (.scalar, .double): fits = datatype.isInteger || datatype.isFloatingPoint
            case (.scalar, let scalar) where scalar.isIntegral: fits = datatype.isInteger
            default: fits = datatype == wanted
            }
            guard fits else {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(name)' is \(datatype.rawValue), but column '\(name)' is \(spec.type): send \(wanted.rawValue)",
                    column: name)
            }
            switch spec.type.shape {
            case .vector(let width):
                guard shape.count == 2, shape[1] > 0, width == nil || width == shape[1] else {
                    throw ConveyorError(
                        .invalidInput,
                        "input tensor '\(name)' has shape \(shape); column '\(name)' takes a vector of "
                            + "\(width.map(String.init) ?? "k") numbers per row: shape [N, \(width.map(String.init) ?? "k")]",
                        column: name)
                }
            default:
                guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                    throw ConveyorError(
                        .invalidInput,
                        "input tensor '\(name)' has shape \(shape); column '\(name)' takes one value per row: shape [N] or [N, 1]",
                        column: name)
                }
            }
            try checkElementCount()
            return shape[0]
        }

        /// The column `spec` built from this tensor (shape already checked by `rows`).
        func column(_ spec: ColumnSpec, rows: Int) throws -> Column {
            if spec.type.isVector { return try vectorColumn(spec, width: shape[1]) }
            var builder = ColumnBuilder(spec: spec, capacity: rows)
            try forEachElement { index, value in try append(value, to: &builder, row: index + 1, index: index) }
            return roundedToFloat(try builder.build())
        }

        private func vectorColumn(_ spec: ColumnSpec, width: Int) throws -> Column {
            var storage: [Double] = []
            storage.reserveCapacity(shapeCount ?? 0)
            let narrow = datatype == .fp32 || spec.type.scalar == .float
            try forEachElement { index, value in
                let row = index / width + 1
                let parsed: Double
                switch value {
                case .json(.null):
                    storage.append(.nan)
                    return
                case .json(.number(var text)):
                    parsed = try text.withUTF8 { try number(UnsafeRawBufferPointer($0), row: row, column: spec.name) }
                case .integer(let integer):
                    try checkRange(integer, row: row, column: spec.name)
                    parsed = Double(integer)
                case .unsigned(let integer):
                    parsed = Double(try signed(integer, row: row, column: spec.name))
                case .number(let number):
                    parsed = number
                default:
                    throw elementError(value, index: index, row: row, column: spec.name)
                }
                storage.append(narrow ? Double(Float(parsed)) : parsed)
            }
            let block = VectorBlock(width: width, storage: storage)
            return Column(name: spec.name, type: ColumnType(spec.type.scalar, .vector(width: width)), values: .vector(block))
        }

        /// One element into a column builder, checked against the datatype.
        func append(_ value: TensorData.Element, to builder: inout ColumnBuilder, row: Int, index: Int) throws {
            switch (value, datatype) {
            case (.json(.null), _):
                builder.appendNull()
            case (.json(.string(let text)), .bytes):
                try builder.appendString(text, row: row)
            case (.bytes(let bytes), .bytes):
                // Read as CSV reads a field; a string column checks the UTF-8.
                try bytes.withUnsafeBytes { try builder.appendText($0, row: row) }
            case (.json(.bool(let flag)), .bool), (.bool(let flag), .bool):
                try builder.appendBool(flag, row: row)
            case (.json(.number(var text)), let type) where type.isInteger || type.isFloatingPoint:
                try text.withUTF8 { bytes in
                    let raw = UnsafeRawBufferPointer(bytes)
                    if type.isInteger { _ = try number(raw, row: row, column: builder.name) }
                    try builder.appendText(raw, row: row)
                }
            case (.integer(let integer), let type) where type.isInteger:
                try checkRange(integer, row: row, column: builder.name)
                try builder.appendInteger(integer, row: row)
            case (.unsigned(let integer), .uint64):
                try builder.appendInteger(try signed(integer, row: row, column: builder.name), row: row)
            case (.number(let number), let type) where type.isFloatingPoint:
                try builder.appendNumber(number, row: row)
            default:
                throw elementError(value, index: index, row: row, column: builder.name)
            }
        }

        /// A typed integer element, checked against the datatype's range (an
        /// INT8 tensor's `int_contents` are 32-bit on the wire).
        private func checkRange(_ value: Int64, row: Int, column: String) throws {
            guard let range = datatype.integerRange, range.contains(value) else {
                throw ConveyorError(.invalidInput, "input tensor '\(name)': \(value) is out of range for \(datatype.rawValue)",
                                    row: row, column: column)
            }
        }

        /// A UINT64 element as the Int64 every integer column holds.
        private func signed(_ value: UInt64, row: Int, column: String) throws -> Int64 {
            guard let signed = Int64(exactly: value) else {
                throw ConveyorError(
                    .invalidInput, "input tensor '\(name)': \(value) is beyond the integers columns hold (\(Int64.min)...\(Int64.max))",
                    row: row, column: column)
            }
            return signed
        }

        /// A number element, checked against an integer datatype's range.
        private func number(_ bytes: UnsafeRawBufferPointer, row: Int, column: String) throws -> Double {
            guard let range = datatype.integerRange else {
                guard let value = NumberParsing.parseDouble(bytes) else {
                    throw valueError(bytes, "is not a number", row: row, column: column)
                }
                return value
            }
            guard let value = NumberParsing.parseInt(bytes) else {
                // Digits only, yet not an Int64: beyond every integer column.
                let digits = !bytes.isEmpty && bytes.allSatisfy { $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "-") }
                let problem = digits ? "is beyond the integers columns hold (\(Int64.min)...\(Int64.max))"
                    : NumberParsing.parseDouble(bytes) == nil ? "is not a number" : "is not an integer"
                throw valueError(bytes, problem, row: row, column: column)
            }
            guard range.contains(value) else {
                throw valueError(bytes, "is out of range for \(datatype.rawValue)", row: row, column: column)
            }
            return Double(value)
        }

        /// FP32 values are float32 values: a double column gets them rounded once, here.
        func roundedToFloat(_ column: Column) -> Column {
            guard datatype == .fp32, column.type.scalar == .double, case .double(let values) = column.values else {
                return column
            }
            var copy = column
            copy.values = .double(values.map { Double(Float($0)) })
            return copy
        }

        /// Visits each element in row-major order with its flat index.
        func forEachElement(_ body: (Int, TensorData.Element) throws -> Void) throws {
            try data.forEach(body)
        }

        private func elementError(_ value: TensorData.Element, index: Int, row: Int, column: String) -> ConveyorError {
            let expected: String
            switch datatype {
            case .bytes: expected = "strings"
            case .bool: expected = "true or false"
            default: expected = "numbers"
            }
            return ConveyorError(
                .invalidInput,
                "input tensor '\(name)' element \(index + 1) is \(value.kindName); \(datatype.rawValue) elements are \(expected)",
                row: row, column: column)
        }

        private func valueError(_ bytes: UnsafeRawBufferPointer, _ problem: String, row: Int, column: String) -> ConveyorError {
            let text = String(decoding: bytes, as: UTF8.self).boundedForMessage(40)
            return ConveyorError(.invalidInput, "input tensor '\(name)': '\(text)' \(problem)", row: row, column: column)
        }
    }
}
