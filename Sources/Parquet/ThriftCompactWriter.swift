/// Writes Thrift compact-protocol structs: the page headers and footer of
/// the Parquet files `transform` writes. Field ids must ascend within a struct.
struct ThriftCompactWriter {
    enum Kind: UInt8 {
        case boolTrue = 1, boolFalse = 2, i32 = 5, i64 = 6, binary = 8, list = 9, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func header(_ id: Int16, _ kind: Kind) {
        let delta = Int(id) - Int(lastIDs[lastIDs.count - 1])
        if (1...15).contains(delta) {
            bytes.append(UInt8(delta) << 4 | kind.rawValue)
        } else {
            bytes.append(kind.rawValue)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func int(_ id: Int16, _ value: Int64, wide: Bool = false) {
        header(id, wide ? .i64 : .i32)
        zigzag(value)
    }

    mutating func bool(_ id: Int16, _ value: Bool) { header(id, value ? .boolTrue : .boolFalse) }

    mutating func string(_ id: Int16, _ value: String) {
        header(id, .binary)
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    mutating func beginStruct(_ id: Int16) {
        header(id, .structure)
        lastIDs.append(0)
    }

    /// Ends a struct opened by `beginStruct` or `beginElement`.
    mutating func endStruct() {
        bytes.append(0)
        lastIDs.removeLast()
    }

    mutating func beginList(_ id: Int16, count: Int, of kind: Kind) {
        header(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | kind.rawValue)
        } else {
            bytes.append(0xF0 | kind.rawValue)
            varint(UInt64(count))
        }
    }

    /// A struct element of a list.
    mutating func beginElement() { lastIDs.append(0) }

    /// An integer or string element of a list.
    mutating func element(_ value: Int64) { zigzag(value) }

    mutating func element(_ value: String) {
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    /// A whole top-level struct's end (the message, not a nested field).
    mutating func finish() -> [UInt8] {
        bytes.append(0)
        return bytes
    }
}
