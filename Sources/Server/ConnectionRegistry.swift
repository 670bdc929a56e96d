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
    private var unused = IdleQueue<any Channel>()
    private var served = IdleQueue<any Channel>()

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
}
