/// Idle connections by ticket, oldest first, for `ConnectionRegistry`.
///
/// Removing a ticket leaves its place in `order` behind; each place carries
/// the stamp of the insertion that made it, so a place left by an earlier
/// idle spell of the same ticket is stale and skipped. A kept-alive
/// connection goes idle once per request: without stamps its old places
/// all looked live, `order` grew by one per request and every insertion
/// rescanned it (quadratic time, unbounded memory). Stale places are
/// dropped in one pass once they outnumber the live ones by 1,024, so
/// every operation is amortized O(1) and `order` holds at most
/// `2 × count + 1,024` places.
struct IdleQueue<Value> {
    private var entries: [UInt64: (value: Value, stamp: UInt64)] = [:]
    private var order: [(ticket: UInt64, stamp: UInt64)] = []
    private var start = 0
    private var nextStamp: UInt64 = 0

    /// Tickets idle now.
    var count: Int { entries.count }

    /// Places held in `order`, live and stale (bounded; see above).
    var places: Int { order.count - start }

    /// Starts `ticket`'s idle spell; a ticket already idle keeps its place.
    mutating func insert(_ ticket: UInt64, _ value: Value) {
        guard entries[ticket] == nil else { return }
        nextStamp += 1
        entries[ticket] = (value, nextStamp)
        order.append((ticket, nextStamp))
        compactIfNeeded()
    }

    mutating func remove(_ ticket: UInt64) {
        entries.removeValue(forKey: ticket)
    }

    /// The value idle longest, removed.
    mutating func popOldest() -> Value? {
        defer { compactIfNeeded() }
        while start < order.count {
            let place = order[start]
            start += 1
            if let entry = entries[place.ticket], entry.stamp == place.stamp {  // else stale
                entries.removeValue(forKey: place.ticket)
                return entry.value
            }
        }
        return nil
    }

    private mutating func compactIfNeeded() {
        guard start > 1024 || places > 2 * entries.count + 1024 else { return }
        let entries = self.entries
        order = order[start...].filter { entries[$0.ticket]?.stamp == $0.stamp }
        start = 0
    }
}
