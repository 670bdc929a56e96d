/// One record's fields, reused from record to record by the delimited
/// decoders. A buffer of its own rather than an `Array`: appending to an
/// array called the runtime's uniqueness check on every field, and clearing
/// it was an out-of-line `replaceSubrange` on every record.
struct FieldBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<CSVScanner.Field>
    private var capacity: Int
    /// Fields of the current record.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Empties the buffer for the next record, keeping its room.
    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ field: CSVScanner.Field) {
        if count == capacity { grow() }
        (base + count).initialize(to: field)
        count &+= 1
    }

    /// A field of the current record.
    @inline(__always)
    subscript(index: Int) -> CSVScanner.Field {
        precondition(index >= 0 && index < count, "field index out of range")
        return base[index]
    }

    /// Doubles the room (a record is no longer than the body that holds it).
    private mutating func grow() {
        let larger = UnsafeMutablePointer<CSVScanner.Field>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}
