import ConveyorCore

/// A value read with Thrift's compact protocol. Parquet's footer and page
/// headers are small, so they are read generically into this tree and then
/// picked apart by field id; unknown fields are skipped by construction.
indirect enum ThriftValue: Sendable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case binary([UInt8])
    case list([ThriftValue])
    case map([(ThriftValue, ThriftValue)])
    case structure(ThriftStruct)
}

/// A Thrift struct: field id → value.
struct ThriftStruct: Sendable {
    var fields: [Int16: ThriftValue] = [:]

    subscript(id: Int16) -> ThriftValue? { fields[id] }

    func int(_ id: Int16) -> Int64? {
        if case .int(let v)? = fields[id] { return v }
        return nil
    }

    func bool(_ id: Int16) -> Bool? {
        if case .bool(let v)? = fields[id] { return v }
        return nil
    }

    func string(_ id: Int16) -> String? {
        if case .binary(let v)? = fields[id] { return String(decoding: v, as: UTF8.self) }
        return nil
    }

    func structure(_ id: Int16) -> ThriftStruct? {
        if case .structure(let v)? = fields[id] { return v }
        return nil
    }

    func list(_ id: Int16) -> [ThriftValue]? {
        if case .list(let v)? = fields[id] { return v }
        return nil
    }
}

/// Reads compact-protocol structs with bounded depth and sizes.
struct ThriftCompactReader {
    static let maxDepth = 32
    var cursor: ByteCursor

    init(_ cursor: ByteCursor) { self.cursor = cursor }

    mutating func readStruct(depth: Int = 0) throws -> ThriftStruct {
        guard depth < Self.maxDepth else { throw cursor.failure("Thrift structures nested deeper than \(Self.maxDepth)") }
        var result = ThriftStruct()
        var lastID: Int16 = 0
        while true {
            let header = try cursor.byte()
            if header == 0 { return result }
            let type = header & 0x0F
            let delta = header >> 4
            let id: Int16
            if delta != 0 {
                id = lastID &+ Int16(delta)
            } else {
                let raw = try cursor.zigzag()
                guard let narrow = Int16(exactly: raw) else { throw cursor.failure("Thrift field id \(raw) out of range") }
                id = narrow
            }
            lastID = id
            result.fields[id] = try readValue(type: type, depth: depth, inList: false)
        }
    }

    private mutating func readValue(type: UInt8, depth: Int, inList: Bool) throws -> ThriftValue {
        switch type {
        case 1, 2:
            // In a struct the type carries the value; in a list each bool is a byte.
            if inList { return .bool(try cursor.byte() == 1) }
            return .bool(type == 1)
        case 3: return .int(Int64(Int8(bitPattern: try cursor.byte())))
        case 4, 5, 6: return .int(try cursor.zigzag())
        case 7: return .double(Double(bitPattern: try cursor.littleEndian(8)))
        case 8:
            let count = try cursor.length(limit: cursor.remaining, what: "Thrift binary length")
            return .binary(Array(try cursor.take(count)))
        case 9, 10:
            let header = try cursor.byte()
            var count = Int(header >> 4)
            if count == 15 { count = try cursor.length(limit: cursor.remaining, what: "Thrift list size") }
            // Every element takes at least one byte, so the count is bounded by what is left.
            guard count <= cursor.remaining else { throw cursor.failure("Thrift list of \(count) elements runs past the end") }
            let elementType = header & 0x0F
            var items: [ThriftValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readElement(elementType, depth: depth + 1)) }
            return .list(items)
        case 11:
            let count = try cursor.length(limit: cursor.remaining, what: "Thrift map size")
            guard count > 0 else { return .map([]) }
            let types = try cursor.byte()
            var pairs: [(ThriftValue, ThriftValue)] = []
            for _ in 0..<count {
                let key = try readElement(types >> 4, depth: depth + 1)
                pairs.append((key, try readElement(types & 0x0F, depth: depth + 1)))
            }
            return .map(pairs)
        case 12: return .structure(try readStruct(depth: depth + 1))
        default: throw cursor.failure("unknown Thrift compact type \(type) at byte \(cursor.position)")
        }
    }

    private mutating func readElement(_ type: UInt8, depth: Int) throws -> ThriftValue {
        guard depth < Self.maxDepth else { throw cursor.failure("Thrift values nested deeper than \(Self.maxDepth)") }
        return try readValue(type: type, depth: depth, inList: true)
    }
}
