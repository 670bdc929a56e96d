import CXGBoost
import Synchronization

/// A proxy DMatrix handle. Sendable because the pool hands each one to a
/// single caller at a time.
struct ProxyHandle: @unchecked Sendable {
    let raw: DMatrixHandle
}

/// Reusable proxy DMatrix handles for in-place prediction, one per
/// concurrent caller. Passing a proxy instead of NULL avoids libxgboost
/// 1.7.4 rebuilding per-call state (it re-reads cgroup files), about half
/// the cost of a one-row prediction. A proxy cannot serve two calls at
/// once, so each call takes one out of the pool and puts it back.
final class ProxyPool: Sendable {
    private let idle = Mutex<[ProxyHandle]>([])
    /// Idle proxies kept beyond this many are freed on return.
    private let maxIdle: Int

    init(maxIdle: Int = 64) {
        self.maxIdle = maxIdle
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { XGDMatrixFree(handle.raw) }
            handles.removeAll()
        }
    }

    func withProxy<Result>(_ body: (ProxyHandle) throws(XGBoostError) -> Result) throws(XGBoostError) -> Result {
        let proxy = try take()
        defer { give(proxy) }
        return try body(proxy)
    }

    /// Number of proxies currently idle (for tests and stats).
    var idleCount: Int { idle.withLock { $0.count } }

    private func take() throws(XGBoostError) -> ProxyHandle {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        var raw: DMatrixHandle?
        try XGBoostError.check(XGProxyDMatrixCreate(&raw), "XGProxyDMatrixCreate", code: .predictionFailed)
        guard let raw else {
            throw XGBoostError(.predictionFailed, "libxgboost returned no proxy DMatrix", function: "XGProxyDMatrixCreate")
        }
        return ProxyHandle(raw: raw)
    }

    private func give(_ handle: ProxyHandle) {
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < maxIdle else { return false }
            handles.append(handle)
            return true
        }
        if !kept { XGDMatrixFree(handle.raw) }
    }
}
