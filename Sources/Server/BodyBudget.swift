import Foundation

/// A byte budget shared by every request in flight: a request holds its
/// body's bytes from the moment it starts reading until its response is
/// built. A request that does not fit waits its turn (first come, first
/// served) up to a deadline; then it is refused, so memory held by
/// requests stays bounded however many arrive at once.
final class BodyBudget: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var used = 0
    private var nextID: UInt64 = 0
    private var waiters: [(id: UInt64, bytes: Int, continuation: CheckedContinuation<Bool, Never>)] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    var bytesInUse: Int { lock.withLock { used } }

    /// True once `bytes` are reserved; false if they never fit or did not
    /// become free within `wait`. Every `true` must be paired with `release`.
    func reserve(_ bytes: Int, wait: Duration) async -> Bool {
        if reserveNow(bytes) { return true }
        guard bytes >= 0, bytes <= capacity else { return false }
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let grantedAtOnce: Bool = lock.withLock {
                    if waiters.isEmpty, bytes <= capacity - used {
                        used += bytes
                        return true
                    }
                    waiters.append((id, bytes, continuation))
                    return false
                }
                if grantedAtOnce { return continuation.resume(returning: true) }
                Task { [weak self] in
                    try? await Task.sleep(for: wait)
                    self?.expire(id)
                }
            }
        } onCancel: {
            self.expire(id)
        }
    }

    /// `reserve` without waiting: true when the bytes were free and no
    /// request waits before this one. Not async, so the common case costs
    /// a request no suspension point (every `true` is paired with `release`).
    func reserveNow(_ bytes: Int) -> Bool {
        guard bytes >= 0, bytes <= capacity else { return false }
        return lock.withLock {
            guard waiters.isEmpty, bytes <= capacity - used else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        settle(releasing: bytes)
    }

    /// Frees `bytes` and wakes the waiters at the head of the queue that fit.
    private func settle(releasing bytes: Int) {
        let granted: [CheckedContinuation<Bool, Never>] = lock.withLock {
            used -= bytes
            var granted: [CheckedContinuation<Bool, Never>] = []
            // First come, first served: a large waiter is not overtaken.
            while let first = waiters.first, first.bytes <= capacity - used {
                used += first.bytes
                granted.append(first.continuation)
                waiters.removeFirst()
            }
            return granted
        }
        for continuation in granted { continuation.resume(returning: true) }
    }

    private func expire(_ id: UInt64) {
        let expired: CheckedContinuation<Bool, Never>? = lock.withLock {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let expired = waiters.remove(at: index).continuation
            return expired
        }
        expired?.resume(returning: false)
        // The head of the queue may have changed: grant whoever fits now.
        settle(releasing: 0)
    }
}
