/// A small Universal Binary JSON reader (https://ubjson.org), enough for the
/// models XGBoost writes: objects, arrays, strings, integers, floats and
/// optimized containers (`$` type, `#` count). Numbers are big-endian.
/// Every read is bounds-checked, so truncated or corrupt input is an error,
/// never a crash.
struct UBJSONReader {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "invalid UBJSON at byte \(offset): \(reason)" }
    }

    /// What one parse found, beside the value.
    struct Parsed {
        var value: ModelValue
        /// The types of the typed (`$`) containers met, by UBJSON marker:
        /// libxgboost 1.7.4 reads only some of them (`ModelSupport.libraryGap`).
        var containerTypes: Set<UInt8>
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var containerTypes: Set<UInt8> = []
    /// Nesting limit, so hostile input cannot exhaust the stack.
    private let maxDepth = 128

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func parse(_ bytes: [UInt8]) throws -> ModelValue {
        try parseNotingTypes(bytes).value
    }

    static func parseNotingTypes(_ bytes: [UInt8]) throws -> Parsed {
        var reader = UBJSONReader(bytes)
        let value = try reader.readValue(depth: 0)
        guard reader.offset == bytes.count else {
            throw Failure(offset: reader.offset, reason: "trailing bytes after the document")
        }
        return Parsed(value: value, containerTypes: reader.containerTypes)
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: offset, reason: reason) }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw fail("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func peek() throws -> UInt8 {
        guard offset < bytes.count else { throw fail("unexpected end of data") }
        return bytes[offset]
    }

    private mutating func bigEndian(_ width: Int) throws -> UInt64 {
        guard bytes.count - offset >= width else { throw fail("unexpected end of data") }
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    private mutating func readValue(depth: Int) throws -> ModelValue {
        var marker = try byte()
        while marker == UInt8(ascii: "N") { marker = try byte() }  // no-op padding
        return try readValue(marker: marker, depth: depth)
    }

    private mutating func readValue(marker: UInt8, depth: Int) throws -> ModelValue {
        switch marker {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "S"), UInt8(ascii: "H"): return .string(try readString())
        case UInt8(ascii: "C"): return .string(String(decoding: [try byte()], as: UTF8.self))
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "d"): return .double(Double(Float(bitPattern: UInt32(try bigEndian(4)))))
        case UInt8(ascii: "D"): return .double(Double(bitPattern: try bigEndian(8)))
        default:
            guard let value = try readInteger(marker: marker) else {
                throw Failure(offset: offset - 1, reason: "unknown marker 0x\(String(marker, radix: 16))")
            }
            return .int(value)
        }
    }

    private mutating func readInteger(marker: UInt8) throws -> Int64? {
        switch marker {
        case UInt8(ascii: "i"): return Int64(Int8(bitPattern: UInt8(try bigEndian(1))))
        case UInt8(ascii: "U"): return Int64(try bigEndian(1))
        case UInt8(ascii: "I"): return Int64(Int16(bitPattern: UInt16(try bigEndian(2))))
        case UInt8(ascii: "l"): return Int64(Int32(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "L"): return Int64(bitPattern: try bigEndian(8))
        default: return nil
        }
    }

    /// A length or count: an integer value that must be non-negative.
    private mutating func readLength() throws -> Int {
        let marker = try byte()
        guard let value = try readInteger(marker: marker), value >= 0 else {
            throw Failure(offset: offset - 1, reason: "invalid length")
        }
        // Every element or character takes at least one byte, so a length
        // beyond the bytes left is refused before anything is allocated.
        guard value <= Int64(bytes.count - offset) else {
            throw Failure(offset: offset - 1,
                          reason: "length \(value) exceeds the \(bytes.count - offset) bytes left in the document")
        }
        return Int(value)
    }

    private mutating func readString() throws -> String {
        let length = try readLength()
        guard bytes.count - offset >= length else { throw fail("string runs past the end") }
        defer { offset += length }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }

    /// Reads the optional `$type` and `#count` of an optimized container.
    private mutating func readContainerHeader() throws -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if try peek() == UInt8(ascii: "$") {
            offset += 1
            type = try byte()
            // Null and booleans take no bytes each: a count could then
            // claim any number of elements for free.
            guard type != UInt8(ascii: "Z"), type != UInt8(ascii: "T"), type != UInt8(ascii: "F"),
                  type != UInt8(ascii: "N") else { throw fail("container of a type without payload") }
            guard try peek() == UInt8(ascii: "#") else { throw fail("typed container without a count") }
            if let type { containerTypes.insert(type) }
        }
        var count: Int?
        if try peek() == UInt8(ascii: "#") {
            offset += 1
            count = try readLength()
        }
        return (type, count)
    }

    /// A type marker in words, for messages.
    static func typeName(_ type: UInt8) -> String {
        switch type {
        case UInt8(ascii: "i"): return "int8"
        case UInt8(ascii: "U"): return "uint8"
        case UInt8(ascii: "I"): return "int16"
        case UInt8(ascii: "l"): return "int32"
        case UInt8(ascii: "L"): return "int64"
        case UInt8(ascii: "d"): return "float32"
        case UInt8(ascii: "D"): return "float64"
        case UInt8(ascii: "C"): return "char"
        case UInt8(ascii: "S"): return "string"
        default: return "type 0x\(String(type, radix: 16))"
        }
    }

    private static func fixedWidth(of type: UInt8) -> Int? {
        switch type {
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "C"): return 1
        case UInt8(ascii: "I"): return 2
        case UInt8(ascii: "l"), UInt8(ascii: "d"): return 4
        case UInt8(ascii: "L"), UInt8(ascii: "D"): return 8
        default: return nil
        }
    }

    private mutating func readArray(depth: Int) throws -> ModelValue {
        guard depth <= maxDepth else { throw fail("nesting too deep") }
        let (type, count) = try readContainerHeader()
        if let type, let count, count > ModelValue.smallArray,
           let width = Self.fixedWidth(of: type), type != UInt8(ascii: "C") {
            // The bulk numbers, after checking they are all there: float32
            // kept exactly (the tree engine's thresholds and leaves),
            // integers kept for the tree checks.
            let (size, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, bytes.count - offset >= size else { throw fail("typed array runs past the end") }
            if type == UInt8(ascii: "d") {
                var floats: [Float] = []
                floats.reserveCapacity(count)
                for _ in 0..<count { floats.append(Float(bitPattern: UInt32(try bigEndian(4)))) }
                return .floats(floats)
            }
            guard type != UInt8(ascii: "D") else {
                offset += size
                return .numbers(count: count)
            }
            var integers: [Int32] = []
            integers.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = try readInteger(marker: type) else { throw fail("unknown array type") }
                integers.append(Int32(clamping: value))
            }
            return .integers(integers)
        }
        var items: [ModelValue] = []
        if let count {
            for _ in 0..<count {
                items.append(try type.map { try readValue(marker: $0, depth: depth) } ?? readValue(depth: depth))
            }
            return .array(items)
        }
        while try peek() != UInt8(ascii: "]") { items.append(try readValue(depth: depth)) }
        offset += 1
        return .array(items)
    }

    private mutating func readObject(depth: Int) throws -> ModelValue {
        guard depth <= maxDepth else { throw fail("nesting too deep") }
        let (type, count) = try readContainerHeader()
        var members: [String: ModelValue] = [:]
        if let count {
            for _ in 0..<count {
                let key = try readUniqueKey(members)
                members[key] = try type.map { try readValue(marker: $0, depth: depth) } ?? readValue(depth: depth)
            }
            return .object(members)
        }
        while try peek() != UInt8(ascii: "}") {
            let key = try readUniqueKey(members)
            members[key] = try readValue(depth: depth)
        }
        offset += 1
        return .object(members)
    }

    /// libxgboost keeps the first of two equal keys, a dictionary the last:
    /// refused, so the model checked is the model loaded.
    private mutating func readUniqueKey(_ members: [String: ModelValue]) throws -> String {
        let start = offset
        let key = try readString()
        guard members[key] == nil else {
            throw Failure(offset: start, reason: "the key \"\(key.prefix(64))\" appears twice in one object")
        }
        return key
    }
}
