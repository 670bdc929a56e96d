import Foundation
import NIOCore

/// Counts open connections across event loops and keeps the ones waiting
/// for a request in the order they started waiting, so that at the limit
/// the longest-idle one can be closed to make room. An idle flood then
/// evicts itself instead of locking real clients (and `/ping`) out.
final class ConnectionRegistry: @unchecked Sendable {
    enum Admission { case admitted, admittedByEvicting, refused }

    let limit: Int
    private let lock = NSLock()
    private var open = 0
    private var nextTicket: UInt64 = 0
    /// Idle connections by ticket; `idleOrder` holds tickets oldest first,
    /// stale ones (no longer idle) skipped when popped.
    private var idle: [UInt64: any Channel] = [:]
    private var idleOrder: [UInt64] = []
    private var idleOrderStart = 0
    private(set) var evicted = 0
    private(set) var refused = 0

    init(limit: Int) {
        self.limit = limit
    }

    var openConnections: Int { lock.withLock { open } }

    /// Called once per accepted connection. Over the limit, closes the
    /// longest-idle connection (admitted) or, with none idle, refuses.
    func admit(_ channel: any Channel) -> (Admission, ticket: UInt64) {
        var victim: (any Channel)?
        let result: (Admission, UInt64) = lock.withLock {
            nextTicket += 1
            let ticket = nextTicket
            if open >= limit {
                victim = popOldestIdle()
                guard victim != nil else {
                    refused += 1
                    return (.refused, ticket)
                }
                evicted += 1
                open += 1
                return (.admittedByEvicting, ticket)
            }
            open += 1
            return (.admitted, ticket)
        }
        victim?.close(promise: nil)
        if result.0 != .refused {
            channel.closeFuture.whenComplete { _ in self.closed(ticket: result.1) }
        }
        return result
    }

    func markIdle(_ ticket: UInt64, _ channel: any Channel) {
        lock.withLock {
            guard idle.updateValue(channel, forKey: ticket) == nil else { return }
            idleOrder.append(ticket)
            compactIfNeeded()
        }
    }

    func markBusy(_ ticket: UInt64) {
        lock.withLock { _ = idle.removeValue(forKey: ticket) }
    }

    private func closed(ticket: UInt64) {
        lock.withLock {
            open -= 1
            idle.removeValue(forKey: ticket)
        }
    }

    /// Call with the lock held.
    private func popOldestIdle() -> (any Channel)? {
        while idleOrderStart < idleOrder.count {
            let ticket = idleOrder[idleOrderStart]
            idleOrderStart += 1
            if let channel = idle.removeValue(forKey: ticket) {
                compactIfNeeded()
                return channel
            }
        }
        compactIfNeeded()
        return nil
    }

    /// Drops popped and stale tickets so the queue does not grow without end.
    private func compactIfNeeded() {
        let queued = idleOrder.count - idleOrderStart
        guard idleOrderStart > 1024 || queued > 2 * idle.count + 1024 else { return }
        idleOrder = idleOrder[idleOrderStart...].filter { idle[$0] != nil }
        idleOrderStart = 0
    }
}
