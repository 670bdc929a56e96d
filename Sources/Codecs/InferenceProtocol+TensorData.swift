import ConveyorCore

extension InferenceProtocol {
    /// A tensor's elements as they arrived: a JSON `data` list (REST), typed
    /// values (gRPC `contents`), or decoded from gRPC `raw_input_contents`.
    /// Whatever the form, the tensor turns them into columns the same way.
    public enum TensorData: Sendable {
        /// REST `data`: flat or nested row-major.
        case json([JSONValue])
        /// Signed integers, and UINT8/16/32 (any INT*/UINT* datatype).
        case integers([Int64])
        /// UINT64 values; those beyond Int64 are refused at their element.
        case unsigned([UInt64])
        case fp32([Float])
        case fp64([Double])
        case bools([Bool])
        /// BYTES elements, each its own bytes (UTF-8 text for Conveyor's columns).
        case bytes([[UInt8]])

        /// One element, in the form the column builders take.
        enum Element {
            case json(JSONValue)
            case integer(Int64)
            case unsigned(UInt64)
            case number(Double)
            case bool(Bool)
            case bytes([UInt8])

            /// A short name for messages.
            var kindName: String {
                switch self {
                case .json(let value): return value.kindName
                case .integer, .unsigned, .number: return "a number"
                case .bool: return "a boolean"
                case .bytes: return "bytes"
                }
            }
        }

        /// The elements of `raw` (one `raw_input_contents` entry), read as
        /// `datatype` in the protocol's layout: little-endian numbers, one
        /// byte per BOOL, and each BYTES element as a 4-byte little-endian
        /// length then its bytes. Throws `.invalidInput` naming the tensor
        /// when the bytes do not divide into whole elements.
        public init(raw: [UInt8], datatype: Datatype, tensor name: String) throws {
            guard datatype != .fp16 else { throw Tensor.fp16Refusal(tensor: name) }
            guard let size = datatype.byteWidth else {
                self = .bytes(try Self.lengthPrefixed(raw, tensor: name))
                return
            }
            guard raw.count % size == 0 else {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(name.boundedForMessage(100))' has \(raw.count) raw bytes, not a whole number of "
                        + "\(size)-byte \(datatype.rawValue) elements",
                    column: name)
            }
            // Each element's bytes as one little-endian word, then read as the datatype.
            let words = Self.littleEndianWords(raw, size: size)
            switch datatype {
            case .bool: self = .bools(words.map { $0 != 0 })
            case .int8: self = .integers(words.map { Int64(Int8(truncatingIfNeeded: $0)) })
            case .int16: self = .integers(words.map { Int64(Int16(truncatingIfNeeded: $0)) })
            case .int32: self = .integers(words.map { Int64(Int32(truncatingIfNeeded: $0)) })
            case .int64: self = .integers(words.map { Int64(bitPattern: $0) })
            case .uint8, .uint16, .uint32: self = .integers(words.map { Int64($0) })
            case .uint64: self = .unsigned(words)
            case .fp32: self = .fp32(words.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
            default: self = .fp64(words.map { Double(bitPattern: $0) })
            }
        }

        /// gRPC's `InferTensorContents`: one repeated field per wire type.
        public struct Contents: Sendable {
            public var bools: [Bool] = []
            public var ints: [Int32] = []
            public var int64s: [Int64] = []
            public var uints: [UInt32] = []
            public var uint64s: [UInt64] = []
            public var fp32s: [Float] = []
            public var fp64s: [Double] = []
            public var bytes: [[UInt8]] = []

            public init() {}

            /// The fields that hold values, by their protocol names.
            var filled: [String] {
                var names: [String] = []
                if !bools.isEmpty { names.append("bool_contents") }
                if !ints.isEmpty { names.append("int_contents") }
                if !int64s.isEmpty { names.append("int64_contents") }
                if !uints.isEmpty { names.append("uint_contents") }
                if !uint64s.isEmpty { names.append("uint64_contents") }
                if !fp32s.isEmpty { names.append("fp32_contents") }
                if !fp64s.isEmpty { names.append("fp64_contents") }
                if !bytes.isEmpty { names.append("bytes_contents") }
                return names
            }
        }

        /// The elements of typed `contents`, which must be in the one field
        /// the datatype names (an empty tensor has none).
        public init(contents: Contents, datatype: Datatype, tensor name: String) throws {
            let field = Self.contentsField(for: datatype)
            let stray = contents.filled.filter { $0 != field }
            guard stray.isEmpty else {
                throw ConveyorError(
                    .invalidInput,
                    "input tensor '\(name.boundedForMessage(100))' is \(datatype.rawValue), whose values go in \(field), but it has "
                        + stray.joined(separator: ", "),
                    column: name)
            }
            switch datatype {
            case .bool: self = .bools(contents.bools)
            case .int8, .int16, .int32: self = .integers(contents.ints.map(Int64.init))
            case .int64: self = .integers(contents.int64s)
            case .uint8, .uint16, .uint32: self = .integers(contents.uints.map(Int64.init))
            case .uint64: self = .unsigned(contents.uint64s)
            case .fp32: self = .fp32(contents.fp32s)
            case .fp64: self = .fp64(contents.fp64s)
            case .bytes: self = .bytes(contents.bytes)
            case .fp16: throw Tensor.fp16Refusal(tensor: name)
            }
        }

        /// `raw` cut into `size`-byte little-endian words (`raw.count` is a multiple of `size`).
        private static func littleEndianWords(_ raw: [UInt8], size: Int) -> [UInt64] {
            var words: [UInt64] = []
            words.reserveCapacity(raw.count / size)
            var offset = 0
            while offset < raw.count {
                var word: UInt64 = 0
                for byte in (0..<size).reversed() { word = word << 8 | UInt64(raw[offset + byte]) }
                words.append(word)
                offset += size
            }
            return words
        }

        /// BYTES elements: a 4-byte little-endian length, then that many bytes, repeated.
        private static func lengthPrefixed(_ raw: [UInt8], tensor name: String) throws -> [[UInt8]] {
            var elements: [[UInt8]] = []
            var offset = 0
            while offset < raw.count {
                guard raw.count - offset >= 4 else {
                    throw ConveyorError(
                        .invalidInput, "input tensor '\(name.boundedForMessage(100))' ends inside the length of BYTES element "
                            + "\(elements.count + 1)", column: name)
                }
                let length = Int(raw[offset]) | Int(raw[offset + 1]) << 8 | Int(raw[offset + 2]) << 16 | Int(raw[offset + 3]) << 24
                offset += 4
                guard length <= raw.count - offset else {
                    throw ConveyorError(
                        .invalidInput, "input tensor '\(name.boundedForMessage(100))' BYTES element \(elements.count + 1) "
                            + "declares \(length) bytes but \(raw.count - offset) remain", column: name)
                }
                elements.append(Array(raw[offset..<offset + length]))
                offset += length
            }
            return elements
        }

        /// Typed `contents` must be the field of the tensor's datatype
        /// (INT8/16/32 in `int_contents`, UINT8/16/32 in `uint_contents`, …).
        static func contentsField(for datatype: Datatype) -> String {
            switch datatype {
            case .bool: return "bool_contents"
            case .int8, .int16, .int32: return "int_contents"
            case .int64: return "int64_contents"
            case .uint8, .uint16, .uint32: return "uint_contents"
            case .uint64: return "uint64_contents"
            case .fp16: return "raw_input_contents"
            case .fp32: return "fp32_contents"
            case .fp64: return "fp64_contents"
            case .bytes: return "bytes_contents"
            }
        }

        /// Elements held, counting the leaves of nested JSON lists.
        public var count: Int {
            switch self {
            case .json(let data): return Self.leafCount(data)
            case .integers(let values): return values.count
            case .unsigned(let values): return values.count
            case .fp32(let values): return values.count
            case .fp64(let values): return values.count
            case .bools(let values): return values.count
            case .bytes(let values): return values.count
            }
        }

        /// Visits each element in row-major order with its flat index.
        func forEach(_ body: (Int, Element) throws -> Void) throws {
            switch self {
            case .json(let data):
                var index = 0
                try Self.visit(data, &index, body)
            case .integers(let values): for (index, value) in values.enumerated() { try body(index, .integer(value)) }
            case .unsigned(let values): for (index, value) in values.enumerated() { try body(index, .unsigned(value)) }
            case .fp32(let values): for (index, value) in values.enumerated() { try body(index, .number(Double(value))) }
            case .fp64(let values): for (index, value) in values.enumerated() { try body(index, .number(value)) }
            case .bools(let values): for (index, value) in values.enumerated() { try body(index, .bool(value)) }
            case .bytes(let values): for (index, value) in values.enumerated() { try body(index, .bytes(value)) }
            }
        }

        private static func visit(_ items: [JSONValue], _ index: inout Int, _ body: (Int, Element) throws -> Void) throws {
            for item in items {
                if case .array(let inner) = item {
                    try visit(inner, &index, body)
                } else {
                    try body(index, .json(item))
                    index += 1
                }
            }
        }

        private static func leafCount(_ items: [JSONValue]) -> Int {
            items.reduce(0) { count, item in
                if case .array(let inner) = item { return count + leafCount(inner) }
                return count + 1
            }
        }
    }
}
