import ConveyorCore

/// The Open Inference Protocol (KServe V2) REST dialect at a pipeline's
/// edges: tensors ↔ columns. One input tensor per input column, one output
/// tensor per output column, named after the column:
///
/// | column | tensor datatype | shape |
/// | --- | --- | --- |
/// | string | `BYTES` | `[N]` or `[N, 1]` |
/// | boolean | `BOOL` | `[N]` or `[N, 1]` |
/// | byte, short, int, long | `INT8`, `INT16`, `INT32`, `INT64` (any `INT*`/`UINT*` in requests) | `[N]` or `[N, 1]` |
/// | float, double | `FP32`, `FP64` (also `INT*`/`UINT*` in requests) | `[N]` or `[N, 1]` |
/// | vector of k doubles (floats) | `FP64` (`FP32`) | `[N, k]` |
///
/// See `RequestDecoder` and `ResponseEncoder`; the server routes them.
public enum InferenceProtocol {
    /// The protocol's tensor element types.
    public enum Datatype: String, Sendable, CaseIterable {
        case bool = "BOOL"
        case uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
        case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
        case fp16 = "FP16", fp32 = "FP32", fp64 = "FP64"
        case bytes = "BYTES"

        var isInteger: Bool { integerRange != nil }

        /// Bytes per element in the raw layout; nil for BYTES (length-prefixed).
        var byteWidth: Int? {
            switch self {
            case .bool, .int8, .uint8: return 1
            case .int16, .uint16, .fp16: return 2
            case .int32, .uint32, .fp32: return 4
            case .int64, .uint64, .fp64: return 8
            case .bytes: return nil
            }
        }
        var isFloatingPoint: Bool { self == .fp16 || self == .fp32 || self == .fp64 }

        /// The values an integer datatype holds (UINT64's upper half is
        /// beyond every column Conveyor has: refused as out of range).
        var integerRange: ClosedRange<Int64>? {
            switch self {
            case .int8: return Int64(Int8.min)...Int64(Int8.max)
            case .int16: return Int64(Int16.min)...Int64(Int16.max)
            case .int32: return Int64(Int32.min)...Int64(Int32.max)
            case .int64: return Int64.min...Int64.max
            case .uint8: return 0...Int64(UInt8.max)
            case .uint16: return 0...Int64(UInt16.max)
            case .uint32: return 0...Int64(UInt32.max)
            case .uint64: return 0...Int64.max
            default: return nil
            }
        }

        /// The datatype a column's values are sent and answered as.
        public init(_ scalar: ScalarType) {
            switch scalar {
            case .boolean: self = .bool
            case .byte: self = .int8
            case .short: self = .int16
            case .int: self = .int32
            case .long: self = .int64
            case .float: self = .fp32
            case .double: self = .fp64
            case .string: self = .bytes
            }
        }
    }

    /// A tensor's name, datatype and shape (-1: any size), as model metadata lists it.
    public struct TensorMetadata: Sendable, Equatable {
        public var name: String
        public var datatype: Datatype
        public var shape: [Int]

        /// Rows are the first dimension; a vector's width the second; a list
        /// of strings per row has no fixed width (and cannot be sent as a tensor).
        public init(_ spec: ColumnSpec) {
            name = spec.name
            datatype = Datatype(spec.type.scalar)
            switch spec.type.shape {
            case .scalar: shape = [-1]
            case .vector(let width): shape = [-1, width ?? -1]
            case .list: shape = [-1, -1]
            }
        }

        func write(into writer: inout ByteWriter) {
            writer.append("{\"name\":")
            writer.appendJSONString(name)
            writer.append(",\"datatype\":\"")
            writer.append(utf8: datatype.rawValue)
            writer.append("\",\"shape\":")
            writeShape(shape, into: &writer)
            writer.append(UInt8(ascii: "}"))
        }
    }

    /// `{"name", "versions", "platform", "inputs", "outputs"}` for `GET /v2/models/{name}`.
    public static func modelMetadata(name: String, versions: [String], platform: String,
                                     inputs: [ColumnSpec], outputs: [ColumnSpec]) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.append("{\"name\":")
        writer.appendJSONString(name)
        writer.append(",\"versions\":[")
        for (index, version) in versions.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendJSONString(version)
        }
        writer.append("],\"platform\":")
        writer.appendJSONString(platform)
        for (key, specs) in [("inputs", inputs), ("outputs", outputs)] {
            writer.append(",\"")
            writer.append(utf8: key)
            writer.append("\":[")
            for (index, spec) in specs.enumerated() {
                if index > 0 { writer.append(.comma) }
                TensorMetadata(spec).write(into: &writer)
            }
            writer.append(UInt8(ascii: "]"))
        }
        writer.append(UInt8(ascii: "}"))
        return writer.bytes
    }

    /// `{"name", "version", "extensions"}` for `GET /v2`.
    public static func serverMetadata(name: String, version: String, extensions: [String]) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.append("{\"name\":")
        writer.appendJSONString(name)
        writer.append(",\"version\":")
        writer.appendJSONString(version)
        writer.append(",\"extensions\":[")
        for (index, name) in extensions.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendJSONString(name)
        }
        writer.append("]}")
        return writer.bytes
    }

    /// The output columns a request asks for (`outputs`), in its order, or
    /// all of the pipeline's. Checked before the pipeline runs.
    public static func outputNames(requested: [String]?, available: [ColumnSpec]) throws -> [String] {
        guard let requested else { return available.map(\.name) }
        var seen = Set<String>()
        for name in requested {
            guard available.contains(where: { $0.name == name }) else {
                throw ConveyorError(
                    .invalidInput,
                    "unknown output tensor '\(name.boundedForMessage(100))'; the model's outputs are "
                        + available.map(\.name).joined(separator: ", "))
            }
            guard seen.insert(name).inserted else {
                throw ConveyorError(.invalidInput, "output tensor '\(name)' is requested twice")
            }
        }
        return requested
    }

    static func writeShape(_ shape: [Int], into writer: inout ByteWriter) {
        writer.append(UInt8(ascii: "["))
        for (index, dimension) in shape.enumerated() {
            if index > 0 { writer.append(.comma) }
            writer.appendInt(Int64(dimension))
        }
        writer.append(UInt8(ascii: "]"))
    }
}
