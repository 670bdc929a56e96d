/// A column's null flags as rows are appended, allocated at the first null:
/// most columns have none, and `Column` stores nil for them anyway.
public struct NullMask: Sendable {
    public var count: Int { rows }
    @usableFromInline var rows = 0
    @usableFromInline var flags: [Bool]?
    private var capacity: Int

    /// `capacity`: rows expected, reserved if a null ever comes.
    public init(capacity: Int = 0) {
        self.capacity = capacity
    }

    /// Inlinable: decoders call it once per field.
    @inlinable
    public mutating func appendValue() {
        rows += 1
        flags?.append(false)
    }

    public mutating func appendNull() {
        if flags == nil {
            var fresh = [Bool]()
            fresh.reserveCapacity(max(capacity, count + 1))
            fresh.append(contentsOf: repeatElement(false, count: count))
            flags = fresh
        }
        rows += 1
        flags?.append(true)
    }

    /// The flags, or nil when no row is null (what `Column.nulls` takes).
    public var array: [Bool]? { flags }
}
