import Testing
@testable import Server

/// `IdleQueue` is how the connection limit finds the longest-idle
/// connection to close. A kept-alive connection goes idle after every
/// request, so its storage must stay bounded however many requests one
/// connection serves (it once grew by a place per request and rescanned
/// them all on every insertion).
struct IdleQueueTests {
    @Test func oneKeptAliveConnectionStaysBoundedOverManyRequests() {
        var queue = IdleQueue<String>()
        queue.insert(1, "first connection")
        for _ in 0..<100_000 {
            queue.remove(1)  // a request arrives
            queue.insert(1, "first connection")  // answered, idle again
        }
        #expect(queue.count == 1)
        #expect(queue.places <= 2 * queue.count + 1025)
        #expect(queue.popOldest() == "first connection")
        #expect(queue.popOldest() == nil)
        #expect(queue.count == 0)
    }

    @Test func popsTheLongestIdleByItsLatestIdleSpell() {
        var queue = IdleQueue<String>()
        queue.insert(1, "a")
        queue.insert(2, "b")
        queue.insert(3, "c")
        // a serves a request and goes idle again: now the most recent.
        queue.remove(1)
        queue.insert(1, "a")
        // Inserting a ticket that is already idle keeps its place.
        queue.insert(2, "b")
        queue.remove(3)
        #expect(queue.count == 2)
        #expect(queue.popOldest() == "b")
        #expect(queue.popOldest() == "a")
        #expect(queue.popOldest() == nil)
    }

    @Test func manyConnectionsCyclingKeepTheirOrderAcrossCompactions() {
        var queue = IdleQueue<Int>()
        for ticket in 0..<50 { queue.insert(UInt64(ticket), ticket) }
        // Every connection but 0 and 1 serves 200 requests, in ticket order each round.
        for _ in 0..<200 {
            for ticket in 2..<50 {
                queue.remove(UInt64(ticket))
                queue.insert(UInt64(ticket), ticket)
            }
        }
        #expect(queue.places <= 2 * queue.count + 1025)
        var popped: [Int] = []
        while let value = queue.popOldest() { popped.append(value) }
        #expect(popped == Array(0..<50))
    }
}
