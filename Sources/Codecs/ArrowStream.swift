import ConveyorCore

/// The Arrow IPC stream format (`application/vnd.apache.arrow.stream`):
/// a Schema message, then RecordBatch messages, then an end-of-stream
/// marker. Each message is `0xFFFFFFFF`, a little-endian Int32 metadata
/// length, a FlatBuffer `Message` (padded to 8 bytes), then the body.
///
/// Only the types Conveyor's columns map to are read: bool, int8–64,
/// uint8–64, float16/32/64, utf8, large_utf8, and list / large_list /
/// fixed_size_list of float32 or float64 (vectors). Others are refused,
/// naming the column. Dictionary batches and compressed bodies are refused.
public enum ArrowStream {
    /// Messages larger than this (metadata or body) are refused before anything is allocated:
    /// a reader holds at most one message beside its chunk (Spark and pyarrow batches are far smaller).
    public static let maxMessageBytes = 256 << 20
    /// Fields (columns and their children) a schema may declare.
    public static let maxFields = 4096

    /// `MessageHeader` union members.
    enum Header: UInt8 {
        case schema = 1, dictionaryBatch = 2, recordBatch = 3
    }

    /// An Arrow type as far as Conveyor reads or writes it.
    indirect enum FieldType: Equatable, CustomStringConvertible {
        case bool
        case int(bits: Int, signed: Bool)
        case float(bits: Int)
        case utf8
        case largeUTF8
        case list(Field)
        case largeList(Field)
        case fixedSizeList(Field, size: Int)
        /// A type Conveyor does not read, by its `Type` union tag, with
        /// what it takes of a batch (so later columns can still be found).
        case other(tag: UInt8, buffers: Int, children: [Field])

        var description: String {
            switch self {
            case .bool: return "bool"
            case .int(let bits, let signed): return "\(signed ? "int" : "uint")\(bits)"
            case .float(let bits): return "float\(bits)"
            case .utf8: return "utf8"
            case .largeUTF8: return "large_utf8"
            case .list(let child): return "list<\(child.type)>"
            case .largeList(let child): return "large_list<\(child.type)>"
            case .fixedSizeList(let child, let size): return "fixed_size_list<\(child.type)>[\(size)]"
            case .other(let tag, _, _): return ArrowStream.typeNames[Int(tag)] ?? "type #\(tag)"
            }
        }

        /// Buffers this type's own node takes (children add theirs).
        var bufferCount: Int {
            switch self {
            case .bool, .int, .float: return 2
            case .utf8, .largeUTF8: return 3
            case .list, .largeList: return 2
            case .fixedSizeList: return 1
            case .other(_, let buffers, _): return buffers
            }
        }

        var children: [Field] {
            switch self {
            case .list(let child), .largeList(let child), .fixedSizeList(let child, _): return [child]
            case .other(_, _, let children): return children
            default: return []
            }
        }
    }

    struct Field: Equatable {
        var name: String
        var type: FieldType
        var nullable: Bool
        /// Dictionary-encoded fields are refused when data arrives.
        var dictionaryEncoded: Bool = false
    }

    /// The `Type` union's member names, for messages about refused types.
    static let typeNames: [Int: String] = [
        0: "none", 1: "null", 2: "int", 3: "floating point", 4: "binary", 5: "utf8", 6: "bool", 7: "decimal",
        8: "date", 9: "time", 10: "timestamp", 11: "interval", 12: "list", 13: "struct", 14: "union",
        15: "fixed_size_binary", 16: "fixed_size_list", 17: "map", 18: "duration", 19: "large_binary",
        20: "large_utf8", 21: "large_list", 22: "run_end_encoded", 23: "binary_view", 24: "utf8_view",
        25: "list_view", 26: "large_list_view",
    ]

    /// Buffers per node of the types Conveyor skips, by `Type` tag: Null,
    /// Binary, Decimal, Date, Time, Timestamp, Interval, Struct,
    /// FixedSizeBinary, Map, Duration, LargeBinary, RunEndEncoded. Unions and
    /// view types (variable buffer counts) are not listed: they are refused.
    static let skippedBufferCounts: [UInt8: Int] = [
        1: 0, 3: 2, 4: 3, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2, 13: 1, 15: 2, 17: 2, 18: 2, 19: 3, 22: 0,
    ]

    static let continuation: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
    static let endOfStream: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
}
