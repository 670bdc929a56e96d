/// Writes a FlatBuffer front to back from a small tree of nodes (enough
/// for Arrow's Schema and RecordBatch messages).
///
/// A table is written as its vtable, then its inline fields; the objects
/// its offset fields point to follow it, so every uoffset is positive, as
/// the format requires. Scalars are aligned to their size relative to the
/// buffer's start (Arrow's readers verify that).
struct FlatBufferWriter {
    indirect enum Node {
        /// Fields by id; nil is an absent field.
        case table([Field?])
        case string(String)
        /// A vector of inline structs: `count` elements of `bytes.count / count` bytes, 8-aligned.
        case structs(bytes: [UInt8], count: Int)
        case tables([Node])
    }

    enum Field {
        case u8(UInt8)
        case i16(Int16)
        case i32(Int32)
        case i64(Int64)
        case offset(Node)

        var size: Int {
            switch self {
            case .u8: return 1
            case .i16: return 2
            case .i32, .offset: return 4
            case .i64: return 8
            }
        }
    }

    private(set) var bytes: [UInt8] = []

    /// The buffer of `root`: a uoffset to it, then the tree.
    static func finish(_ root: Node) -> [UInt8] {
        var writer = FlatBufferWriter()
        writer.put(UInt32(0))
        let position = writer.write(root)
        writer.patch(at: 0, to: position)
        writer.align(8)
        return writer.bytes
    }

    private mutating func align(_ alignment: Int, then extra: Int = 0) {
        while (bytes.count + extra) % alignment != 0 { bytes.append(0) }
    }

    private mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func patch(at slot: Int, to target: Int) {
        let value = UInt32(target - slot).littleEndian
        withUnsafeBytes(of: value) { raw in
            for index in 0..<4 { bytes[slot + index] = raw[index] }
        }
    }

    /// Writes a node and what it points to; returns the node's position.
    private mutating func write(_ node: Node) -> Int {
        switch node {
        case .string(let text):
            align(4)
            let start = bytes.count
            put(UInt32(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
            return start
        case .structs(let data, let count):
            align(8, then: 4)
            let start = bytes.count
            put(UInt32(count))
            bytes.append(contentsOf: data)
            return start
        case .tables(let nodes):
            align(4)
            let start = bytes.count
            put(UInt32(nodes.count))
            let slots = nodes.indices.map { start + 4 + 4 * $0 }
            for _ in nodes { put(UInt32(0)) }
            for (slot, child) in zip(slots, nodes) { patch(at: slot, to: write(child)) }
            return start
        case .table(let fields):
            return writeTable(fields)
        }
    }

    private mutating func writeTable(_ fields: [Field?]) -> Int {
        // Inline layout: the soffset, then fields largest first (so each is aligned).
        let order = fields.indices.filter { fields[$0] != nil }
            .sorted { (fields[$0]?.size ?? 0) > (fields[$1]?.size ?? 0) }
        var offsets = [Int](repeating: 0, count: fields.count)
        var inline = 4
        for index in order {
            let size = fields[index]?.size ?? 0
            while inline % size != 0 { inline += 1 }
            offsets[index] = inline
            inline += size
        }
        let tableSize = inline
        let vtableSize = 4 + 2 * fields.count
        // The vtable is 2-aligned and the table 8-aligned: pad before the vtable.
        align(2)
        while (bytes.count + vtableSize) % 8 != 0 { bytes.append(0) }
        let vtable = bytes.count
        put(UInt16(vtableSize))
        put(UInt16(tableSize))
        for offset in offsets { put(UInt16(offset)) }
        let table = bytes.count
        put(Int32(table - vtable))
        bytes.append(contentsOf: repeatElement(0, count: tableSize - 4))
        var children: [(slot: Int, node: Node)] = []
        for (index, field) in fields.enumerated() {
            guard let field else { continue }
            let at = table + offsets[index]
            func set<T: FixedWidthInteger>(_ value: T) {
                withUnsafeBytes(of: value.littleEndian) { raw in
                    for byte in 0..<raw.count { bytes[at + byte] = raw[byte] }
                }
            }
            switch field {
            case .u8(let value): set(value)
            case .i16(let value): set(value)
            case .i32(let value): set(value)
            case .i64(let value): set(value)
            case .offset(let node): children.append((at, node))
            }
        }
        for child in children { patch(at: child.slot, to: write(child.node)) }
        return table
    }
}
