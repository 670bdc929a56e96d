import ConveyorCore
import Foundation
import Logging
import Pipeline

/// Models loaded through SageMaker's multi-model contract (`POST /models`)
/// or lazily by `X-Amzn-SageMaker-Target-Model`, under a memory budget.
///
/// Every model's footprint is estimated before it is loaded (artifact bytes
/// × `ModelSource.footprintFactor`) and reserved against the budget, so a
/// model that cannot fit is refused (507) before anything is allocated.
/// `POST /models` never unloads others: as the contract says, the platform
/// answers a 507 by unloading models itself. A TargetModel invocation acts
/// as that platform: it unloads idle models, least recently used first,
/// and answers 507 only when even that leaves too little room.
///
/// A model unloaded while requests use it leaves routing at once; its bytes
/// stay counted until its last request has finished (`release`).
final class ModelRegistry: @unchecked Sendable {
    struct Info: Sendable {
        var name: String
        var url: String
        var estimatedBytes: Int
        var artifactBytes: Int
        var inFlight: Int
        var loadSeconds: Double
    }

    private struct Entry {
        var id: Int
        var info: Info
        var pipeline: Pipeline
        var lastUse: UInt64
    }

    let source: ModelSource
    private let metrics: ServerMetrics
    private let logger: Logger
    private let lock = NSLock()
    private var loaded: [String: Entry] = [:]
    /// Unloaded models still serving requests: their bytes and requests left.
    private var draining: [Int: (bytes: Int, inFlight: Int)] = [:]
    /// Bytes held for loads in progress.
    private var reserved = 0
    private var loading: [String: Task<Void, any Error>] = [:]
    private var tick: UInt64 = 0
    private var nextID = 0

    init(source: ModelSource, metrics: ServerMetrics, logger: Logger) {
        self.source = source
        self.metrics = metrics
        self.logger = logger
    }

    /// Loaded, draining and reserved bytes.
    var usedBytes: Int { lock.withLock { used } }

    /// Call with the lock held.
    private var used: Int {
        loaded.values.reduce(reserved) { $0 + $1.info.estimatedBytes } + draining.values.reduce(0) { $0 + $1.bytes }
    }

    /// `POST /models`: 409 when `name` is loaded or loading, 507 when it does not fit.
    func load(name: String, url: String) async throws -> Info {
        let task: Task<Void, any Error> = try lock.withLock {
            guard loaded[name] == nil, loading[name] == nil else {
                throw ConveyorError(.modelAlreadyLoaded, "model '\(name.boundedForMessage(100))' is already loaded")
            }
            return startLoad(name: name, url: url, evictIdle: false)
        }
        try await task.value
        guard let info = info(named: name) else {
            throw ConveyorError(.notFound, "model '\(name.boundedForMessage(100))' was unloaded as soon as it was loaded")
        }
        return info
    }

    /// A TargetModel invocation: the model named `target`, loaded from under
    /// the root first when it is not (unloading idle models to make room).
    func acquire(target: String) async throws -> ServedPipeline {
        for _ in 0..<3 {
            let task: Task<Void, any Error>? = try lock.withLock {
                if loaded[target] != nil { return nil }
                if let running = loading[target] { return running }
                return startLoad(name: target, url: try source.url(ofTarget: target), evictIdle: true)
            }
            if let task { try await task.value }
            if let served = acquire(name: target) { return served }
            // Unloaded between its load and this request (another load made room): load again.
        }
        throw ConveyorError(.insufficientMemory, "model '\(target.boundedForMessage(100))' kept being unloaded to make room for others")
    }

    /// The loaded model `name`, counted as in use until `release` is called; nil when not loaded.
    func acquire(name: String) -> ServedPipeline? {
        lock.withLock {
            guard var entry = loaded[name] else { return nil }
            tick += 1
            entry.lastUse = tick
            entry.info.inFlight += 1
            loaded[name] = entry
            let id = entry.id
            return ServedPipeline(pipeline: entry.pipeline, version: 1) { [self] in release(id: id, name: name) }
        }
    }

    /// `DELETE /models/{name}`: 404 when not loaded.
    func unload(name: String) throws -> Info {
        let info: Info? = lock.withLock { remove(name) }
        guard let info else {
            throw ConveyorError(.notFound, "model '\(name.boundedForMessage(100))' is not loaded")
        }
        metrics.modelEvent("unloaded", usedBytes: usedBytes)
        logger.info("model unloaded", metadata: ["model": "\(name)", "in_flight": "\(info.inFlight)"])
        return info
    }

    func info(named name: String) -> Info? { lock.withLock { loaded[name]?.info } }

    /// Loaded models by name.
    var models: [Info] { lock.withLock { loaded.values.map(\.info).sorted { $0.name < $1.name } } }

    /// Call with the lock held.
    private func remove(_ name: String) -> Info? {
        guard let entry = loaded.removeValue(forKey: name) else { return nil }
        if entry.info.inFlight > 0 { draining[entry.id] = (entry.info.estimatedBytes, entry.info.inFlight) }
        return entry.info
    }

    private func release(id: Int, name: String) {
        lock.withLock {
            if var entry = loaded[name], entry.id == id {
                entry.info.inFlight -= 1
                loaded[name] = entry
            } else if var held = draining[id] {
                held.inFlight -= 1
                draining[id] = held.inFlight > 0 ? held : nil
            }
        }
    }

    /// Call with the lock held: starts loading `name` (registered in `loading` until done).
    private func startLoad(name: String, url: String, evictIdle: Bool) -> Task<Void, any Error> {
        let task = Task { [self] in
            defer { lock.withLock { loading[name] = nil } }
            do {
                try await performLoad(name: name, url: url, evictIdle: evictIdle)
            } catch {
                let conveyorError = ConveyorError.wrap(error, code: .modelLoadFailed)
                metrics.modelEvent(conveyorError.code == .insufficientMemory ? "refused" : "load_failed", usedBytes: usedBytes)
                logger.error("model load failed", metadata: ["model": "\(name)", "url": "\(url)", "error": "\(conveyorError)"])
                throw conveyorError
            }
        }
        loading[name] = task
        return task
    }

    private func performLoad(name: String, url: String, evictIdle: Bool) async throws {
        let prepared = try await source.prepare(url)
        defer { if let temporary = prepared.temporary { try? FileManager.default.removeItem(at: temporary) } }
        guard let bytes = source.footprint(of: prepared) else {
            throw ConveyorError(.insufficientMemory, "model '\(name)' at \(url): its estimated footprint overflows")
        }
        let evicted = try lock.withLock { try reserve(bytes, for: name, evictIdle: evictIdle) }
        for info in evicted {
            metrics.modelEvent("evicted", usedBytes: usedBytes)
            logger.info("model unloaded to make room", metadata: ["model": "\(info.name)", "for": "\(name)"])
        }
        let clock = ContinuousClock()
        let start = clock.now
        let pipeline: Pipeline
        do {
            pipeline = try await Self.offPool { [source] in try source.load(prepared) }
        } catch {
            lock.withLock { reserved -= bytes }
            throw ConveyorError(.modelLoadFailed, "model '\(name)' at \(url) did not load: \(ConveyorError.wrap(error, code: .modelLoadFailed))")
        }
        let seconds = Double((clock.now - start).components.seconds)
            + Double((clock.now - start).components.attoseconds) / 1e18
        lock.withLock {
            reserved -= bytes
            nextID += 1
            tick += 1
            loaded[name] = Entry(
                id: nextID,
                info: Info(name: name, url: url, estimatedBytes: bytes, artifactBytes: prepared.artifactBytes,
                           inFlight: 0, loadSeconds: seconds),
                pipeline: pipeline, lastUse: tick)
        }
        metrics.modelEvent("loaded", usedBytes: usedBytes)
        logger.info("model loaded", metadata: ["model": "\(name)", "url": "\(url)", "estimated_bytes": "\(bytes)"])
    }

    /// Call with the lock held: holds `bytes` of the budget, first unloading
    /// idle models (least recently used first) when `evictIdle`; returns
    /// those unloaded. Throws 507 when the model cannot fit.
    private func reserve(_ bytes: Int, for name: String, evictIdle: Bool) throws -> [Info] {
        let budget = source.budgetBytes
        let free = budget - used
        if bytes <= free {
            reserved += bytes
            return []
        }
        let idle = evictIdle ? loaded.values.filter { $0.info.inFlight == 0 }.sorted { $0.lastUse < $1.lastUse } : []
        let idleBytes = idle.reduce(0) { $0 + $1.info.estimatedBytes }
        guard bytes <= budget, free + idleBytes >= bytes else {
            let loadedNames = loaded.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw ConveyorError(
                .insufficientMemory,
                "model '\(name.boundedForMessage(100))' needs an estimated \(bytes) bytes; \(max(0, free)) of the "
                    + "\(budget)-byte model budget are free"
                    + (evictIdle ? " even after unloading every idle model" : "")
                    + (loadedNames.isEmpty ? "" : " (loaded: \(loadedNames))"))
        }
        var room = free
        var evicted: [Info] = []
        for entry in idle where room < bytes {
            if let info = remove(entry.info.name) {
                room += info.estimatedBytes
                evicted.append(info)
            }
        }
        reserved += bytes
        return evicted
    }

    /// Runs a blocking load on a thread of its own, off Swift's few pool threads.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "conveyor-model-load"
            thread.start()
        }
    }
}
