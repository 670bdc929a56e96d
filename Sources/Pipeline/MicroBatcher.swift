import ConveyorCore
import Synchronization

/// How concurrent requests share pipeline calls (`conveyor serve --micro-batching`).
public struct MicroBatching: Sendable, Equatable {
    /// Pipeline calls of one pipeline at a time (the scoring threads).
    public var slots: Int
    /// Rows one merged call takes at most (a request is never split).
    public var maxRows: Int

    public init(slots: Int, maxRows: Int) {
        self.slots = max(1, slots)
        self.maxRows = max(1, maxRows)
    }
}

/// Adaptive micro-batching for one pipeline. A request whose pipeline has a
/// free slot runs at once, alone: nothing ever waits on purpose, so a lone
/// request pays nothing. While every slot is busy, requests queue; when a
/// call ends, the queue (up to `maxRows` rows) becomes one merged call, run
/// by the first queued request's task, and each request gets exactly its
/// own rows back. A queued request waits at most one call of its pipeline.
///
/// When the merged call fails (one request's bad row) or changes the number
/// of rows (a stage that skips rows), every request in it runs again alone,
/// so errors name the row of the request they belong to and nothing is paired
/// with the wrong request.
public final class MicroBatcher: Sendable {
    public typealias Run = @Sendable (Frame) async throws -> Frame

    private struct Waiting: Sendable {
        let frame: Frame
        let continuation: CheckedContinuation<Turn, Never>
    }

    /// What a request is told to do.
    private enum Turn: Sendable {
        /// Run your own frame alone.
        case alone
        /// Run your frame merged with these (in this order, yours first).
        case lead([Waiting])
        /// Another request ran your rows.
        case done(Result<Frame, any Error>)
    }

    private struct State {
        var running = 0
        var queue: [Waiting] = []
        var head = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Requests waiting for a merged call (tests).
    var queued: Int { state.withLock { $0.queue.count - $0.head } }

    /// `run(frame)`, merged with other requests' frames while the pipeline is busy.
    public func run(_ frame: Frame, _ batching: MicroBatching, _ run: Run) async throws -> Frame {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let now = state.withLock { state in
                if state.running < batching.slots {
                    state.running += 1
                    return true
                }
                state.queue.append(Waiting(frame: frame, continuation: continuation))
                return false
            }
            if now { continuation.resume(returning: .alone) }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .alone:
            let result = await Result(catching: { try await run(frame) })
            finish(batching)
            return try result.get()
        case .lead(let others):
            let result = await lead(frame, others, run)
            finish(batching)
            return try result.get()
        }
    }

    /// Runs `frame` and the others' as one call and hands each its rows.
    private func lead(_ frame: Frame, _ others: [Waiting], _ run: Run) async -> Result<Frame, any Error> {
        if others.isEmpty { return await Result(catching: { try await run(frame) }) }
        let frames = [frame] + others.map(\.frame)
        if let merged = try? Frame(concatenating: frames),
           case .success(let output) = await Result(catching: { try await run(merged) }),
           output.rowCount == merged.rowCount {
            var start = frame.rowCount
            let mine = Result { try output.rows(0..<start) }
            for waiting in others {
                let end = start + waiting.frame.rowCount
                waiting.continuation.resume(returning: .done(Result { try output.rows(start..<end) }))
                start = end
            }
            return mine
        }
        // Different columns, a failure or rows skipped: each runs alone again,
        // each counted as running (for a moment more than `slots`) so that
        // its `finish` hands its slot on like any other.
        state.withLock { $0.running += others.count }
        for waiting in others { waiting.continuation.resume(returning: .alone) }
        return await Result(catching: { try await run(frame) })
    }

    /// A call ended: its slot goes to the queue as one merged call, or is freed.
    private func finish(_ batching: MicroBatching) {
        let batch: [Waiting]? = state.withLock { state in
            guard state.head < state.queue.count else {
                state.running -= 1
                return nil
            }
            var rows = 0, end = state.head
            while end < state.queue.count, end == state.head || rows + state.queue[end].frame.rowCount <= batching.maxRows {
                rows += state.queue[end].frame.rowCount
                end += 1
            }
            let taken = Array(state.queue[state.head..<end])
            state.head = end
            // Served entries hold their frames: drop them once the queue
            // empties, or once they are half of it under sustained load.
            if state.head == state.queue.count {
                state.queue.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head > 64, state.head * 2 > state.queue.count {
                state.queue.removeFirst(state.head)
                state.head = 0
            }
            return taken
        }
        guard let batch, let first = batch.first else { return }
        first.continuation.resume(returning: .lead(Array(batch.dropFirst())))
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
