import Foundation
import NIOCore

/// Counts open connections across event loops and keeps the ones waiting
/// for a request in the order they started waiting, so that at the limit
/// an idle one can be closed to make room: first the longest-idle of those
/// that never completed a request (an idle flood), then the longest-idle
/// kept-alive one. A flood then evicts itself instead of locking real
/// clients — and a load balancer's kept-alive health check — out.
final class ConnectionRegistry: @unchecked Sendable {
    enum Admission { case admitted, admittedByEvicting, refused }

    let limit: Int
    private let lock = NSLock()
    private var open = 0
    private var nextTicket: UInt64 = 0
    private var unused = IdleQueue()
    private var served = IdleQueue()

    init(limit: Int) {
        self.limit = limit
    }

    var openConnections: Int { lock.withLock { open } }

    /// Connections with a request in progress (head read, response not yet
    /// written), whether or not its handler has started.
    var busyConnections: Int { lock.withLock { open - unused.count - served.count } }

    /// Called once per accepted connection. Over the limit, closes an idle
    /// connection (admitted) or, with none idle, refuses.
    func admit(_ channel: any Channel) -> (Admission, ticket: UInt64) {
        var victim: (any Channel)?
        let result: (Admission, UInt64) = lock.withLock {
            nextTicket += 1
            let ticket = nextTicket
            guard open >= limit else {
                open += 1
                return (.admitted, ticket)
            }
            victim = unused.popOldest() ?? served.popOldest()
            guard victim != nil else { return (.refused, ticket) }
            open += 1
            return (.admittedByEvicting, ticket)
        }
        victim?.close(promise: nil)
        if result.0 != .refused {
            channel.closeFuture.whenComplete { _ in self.closed(ticket: result.1) }
        }
        return result
    }

    /// The connection waits for a request; `served` once it has answered one.
    func markIdle(_ ticket: UInt64, _ channel: any Channel, served hasServed: Bool) {
        lock.withLock {
            if hasServed { served.insert(ticket, channel) } else { unused.insert(ticket, channel) }
        }
    }

    func markBusy(_ ticket: UInt64) {
        lock.withLock {
            unused.remove(ticket)
            served.remove(ticket)
        }
    }

    private func closed(ticket: UInt64) {
        lock.withLock {
            open -= 1
            unused.remove(ticket)
            served.remove(ticket)
        }
    }

    /// Idle connections by ticket, and their tickets oldest first; tickets
    /// no longer idle are skipped when popped and dropped when compacting.
    struct IdleQueue {
        private var channels: [UInt64: any Channel] = [:]
        private var order: [UInt64] = []
        private var start = 0

        var count: Int { channels.count }

        mutating func insert(_ ticket: UInt64, _ channel: any Channel) {
            guard channels.updateValue(channel, forKey: ticket) == nil else { return }
            order.append(ticket)
            compactIfNeeded()
        }

        mutating func remove(_ ticket: UInt64) {
            channels.removeValue(forKey: ticket)
        }

        mutating func popOldest() -> (any Channel)? {
            defer { compactIfNeeded() }
            while start < order.count {
                let ticket = order[start]
                start += 1
                if let channel = channels.removeValue(forKey: ticket) { return channel }
            }
            return nil
        }

        private mutating func compactIfNeeded() {
            let queued = order.count - start
            guard start > 1024 || queued > 2 * channels.count + 1024 else { return }
            order = order[start...].filter { channels[$0] != nil }
            start = 0
        }
    }
}
