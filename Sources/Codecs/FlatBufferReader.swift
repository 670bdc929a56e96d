import ConveyorCore

/// Checked reads of a FlatBuffer (the encoding of Arrow's IPC metadata).
///
/// Every offset, length and count comes from untrusted bytes, so each
/// access is range-checked and a bad one throws `.invalidInput` naming
/// `context` (e.g. "Arrow message 3"); nothing is force-unwrapped, and
/// offsets are added with overflow checks.
struct FlatBufferReader {
    let bytes: [UInt8]
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    /// A table: its position and its vtable's.
    struct Table {
        let position: Int
        let vtable: Int
        let vtableSize: Int
    }

    func failure(_ problem: String) -> ConveyorError {
        ConveyorError(.invalidInput, "\(context): \(problem)")
    }

    // MARK: Scalars at absolute positions

    func check(_ position: Int, size: Int) throws {
        guard position >= 0, size >= 0, position <= bytes.count, size <= bytes.count - position else {
            throw failure("flatbuffer read of \(size) bytes at \(position) is outside its \(bytes.count) bytes")
        }
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws -> T {
        try check(position, size: MemoryLayout<T>.size)
        var value = T.zero
        for index in 0..<MemoryLayout<T>.size {
            value |= T(truncatingIfNeeded: bytes[position + index]) << (8 * index)
        }
        return value
    }

    func add(_ base: Int, _ offset: Int) throws -> Int {
        let (sum, overflow) = base.addingReportingOverflow(offset)
        guard !overflow else { throw failure("flatbuffer offset overflows") }
        return sum
    }

    // MARK: Tables

    /// The root table (the uoffset at byte 0).
    func root() throws -> Table {
        try table(at: try add(0, Int(try load(UInt32.self, at: 0))))
    }

    func table(at position: Int) throws -> Table {
        let soffset = Int(try load(Int32.self, at: position))
        let vtable = position - soffset  // Int32 magnitude: cannot overflow Int.
        let vtableSize = Int(try load(UInt16.self, at: vtable))
        guard vtableSize >= 4, vtableSize % 2 == 0 else { throw failure("flatbuffer vtable of \(vtableSize) bytes") }
        try check(vtable, size: vtableSize)
        return Table(position: position, vtable: vtable, vtableSize: vtableSize)
    }

    /// The absolute position of field `index`, or nil when absent.
    func field(_ table: Table, _ index: Int) throws -> Int? {
        let entry = 4 + 2 * index
        guard entry + 2 <= table.vtableSize else { return nil }
        let offset = Int(try load(UInt16.self, at: table.vtable + entry))
        return offset == 0 ? nil : try add(table.position, offset)
    }

    func scalar<T: FixedWidthInteger>(_ table: Table, _ index: Int, default value: T) throws -> T {
        guard let position = try field(table, index) else { return value }
        return try load(T.self, at: position)
    }

    func bool(_ table: Table, _ index: Int) throws -> Bool {
        try scalar(table, index, default: UInt8(0)) != 0
    }

    /// The target of an offset field (a table, vector or string), or nil when absent.
    func indirect(_ table: Table, _ index: Int) throws -> Int? {
        guard let position = try field(table, index) else { return nil }
        return try add(position, Int(try load(UInt32.self, at: position)))
    }

    func subtable(_ table: Table, _ index: Int) throws -> Table? {
        try indirect(table, index).map { try self.table(at: $0) }
    }

    // MARK: Vectors and strings

    /// A vector's element count and first element, with `count × elementSize` bytes checked.
    func vector(_ table: Table, _ index: Int, elementSize: Int) throws -> (start: Int, count: Int)? {
        guard let position = try indirect(table, index) else { return nil }
        let count = Int(try load(UInt32.self, at: position))
        let (size, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw failure("flatbuffer vector of \(count) elements is too large") }
        try check(position + 4, size: size)
        return (position + 4, count)
    }

    /// The tables of a vector of tables; more than `limit` is refused before any is read.
    func tables(_ table: Table, _ index: Int, limit: Int) throws -> [Table] {
        guard let (start, count) = try vector(table, index, elementSize: 4) else { return [] }
        guard count <= limit else { throw failure("a flatbuffer vector of \(count) tables is over the limit of \(limit)") }
        return try (0..<count).map { element in
            let slot = start + 4 * element
            return try self.table(at: try add(slot, Int(try load(UInt32.self, at: slot))))
        }
    }

    func string(_ table: Table, _ index: Int) throws -> String? {
        guard let (start, count) = try vector(table, index, elementSize: 1) else { return nil }
        guard let text = String(validating: bytes[start..<(start + count)], as: UTF8.self) else {
            throw failure("a flatbuffer string is not valid UTF-8")
        }
        return text
    }
}
