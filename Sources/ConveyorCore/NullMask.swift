/// A column's null flags as rows are appended, allocated at the first null:
/// most columns have none, and `Column` stores nil for them anyway.
public struct NullMask: Sendable {
    public private(set) var count = 0
    private var flags: [Bool]?
    private var capacity: Int

    /// `capacity`: rows expected, reserved if a null ever comes.
    public init(capacity: Int = 0) {
        self.capacity = capacity
    }

    public mutating func appendValue() {
        count += 1
        flags?.append(false)
    }

    public mutating func appendNull() {
        if flags == nil {
            var fresh = [Bool]()
            fresh.reserveCapacity(max(capacity, count + 1))
            fresh.append(contentsOf: repeatElement(false, count: count))
            flags = fresh
        }
        count += 1
        flags?.append(true)
    }

    /// The flags, or nil when no row is null (what `Column.nulls` takes).
    public var array: [Bool]? { flags }
}
