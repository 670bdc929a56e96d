import ConveyorCore
import Foundation
import Synchronization
import Testing
@testable import Pipeline

/// `MicroBatcher`: a lone request runs at once and alone; requests that
/// arrive while every slot is busy become one call, each gets exactly its own
/// rows back; a failure or a changed row count sends each back to run alone.
@Suite struct MicroBatcherTests {
    /// A frame of `values` in column `x`.
    static func frame(_ values: [Double]) throws -> Frame {
        try Frame(columns: [Column(name: "x", type: .double, values: .double(values))])
    }

    static func values(_ frame: Frame) -> [Double] {
        guard case .double(let values)? = frame.column("y")?.values else { return [] }
        return values
    }

    /// A pipeline stand-in: y = 10 x; a row of -1 fails the call; a row of
    /// -2 is skipped (as handleInvalid=skip does). Records every call's rows,
    /// and the first call waits for `gate` when one is given.
    final class Model: Sendable {
        let calls = Mutex<[[Double]]>([])
        let gate: AsyncStream<Void>?
        let opened: AsyncStream<Void>.Continuation?
        let started = Mutex(0)

        init(gated: Bool) {
            if gated {
                let (stream, continuation) = AsyncStream<Void>.makeStream()
                gate = stream
                opened = continuation
            } else {
                gate = nil
                opened = nil
            }
        }

        func run(_ frame: Frame) async throws -> Frame {
            guard case .double(let x)? = frame.column("x")?.values else { throw ConveyorError(.internal, "no x") }
            calls.withLock { $0.append(x) }
            if started.withLock({ count in count += 1; return count == 1 }), let gate {
                for await _ in gate { break }
            }
            if x.contains(-1) { throw ConveyorError(.invalidInput, "row \(x.firstIndex(of: -1).map { $0 + 1 } ?? 0): bad") }
            let kept = x.filter { $0 != -2 }
            return try Frame(columns: [Column(name: "y", type: .double, values: .double(kept.map { $0 * 10 }))])
        }
    }

    /// Starts `blocker` so that it holds the only slot, then `requests`
    /// concurrently; waits until all of them are queued, opens the gate.
    private func contend(_ requests: [[Double]], maxRows: Int = 1024) async throws
        -> (results: [Result<[Double], any Error>], calls: [[Double]]) {
        let model = Model(gated: true)
        let batcher = MicroBatcher()
        let batching = MicroBatching(slots: 1, maxRows: maxRows)
        let blocker = Task { try await batcher.run(try Self.frame([0]), batching) { try await model.run($0) } }
        while model.calls.withLock({ $0.isEmpty }) { await Task.yield() }
        let tasks = try requests.map { rows in
            let frame = try Self.frame(rows)
            return Task { () -> Result<[Double], any Error> in
                do { return .success(Self.values(try await batcher.run(frame, batching) { try await model.run($0) })) }
                catch { return .failure(error) }
            }
        }
        while batcher.queued < requests.count { try await Task.sleep(for: .milliseconds(1)) }
        model.opened?.yield()
        model.opened?.finish()
        #expect(try await Self.values(blocker.value) == [0])
        var results: [Result<[Double], any Error>] = []
        for task in tasks { results.append(await task.value) }
        return (results, model.calls.withLock { $0 })
    }

    @Test func aLoneRequestRunsAtOnceAndAlone() async throws {
        let model = Model(gated: false)
        let batcher = MicroBatcher()
        let output = try await batcher.run(try Self.frame([1, 2]), MicroBatching(slots: 1, maxRows: 8)) { try await model.run($0) }
        #expect(Self.values(output) == [10, 20])
        #expect(model.calls.withLock { $0 } == [[1, 2]])
    }

    @Test func requestsQueuedBehindABusyCallShareOneCallAndGetTheirOwnRows() async throws {
        let requests: [[Double]] = [[1], [2, 3], [4], [5, 6, 7]]
        let (results, calls) = try await contend(requests)
        #expect(calls.count == 2, "the blocked call, then one merged call: \(calls)")
        #expect(calls.last.map { Set($0) } == Set(requests.joined()))
        for (rows, result) in zip(requests, results) {
            #expect((try? result.get()) == rows.map { $0 * 10 })
        }
    }

    @Test func aMergedCallTakesAtMostMaxRows() async throws {
        let requests: [[Double]] = [[1], [2], [3], [4], [5]]
        let (results, calls) = try await contend(requests, maxRows: 2)
        #expect(calls.dropFirst().allSatisfy { $0.count <= 2 }, "\(calls)")
        #expect(calls.count == 4, "the blocked call, then 2 + 2 + 1 rows: \(calls)")
        #expect(results.map { try? $0.get() } == requests.map { $0.map { $0 * 10 } })
    }

    /// One row per call through a long queue: the served entries are
    /// dropped from the queue as it goes (past 64 of them), and every
    /// request still gets its own row.
    @Test func aLongQueueIsServedInOrderWhileItIsCompacted() async throws {
        let requests = (1...150).map { [Double($0)] }
        let (results, calls) = try await contend(requests, maxRows: 1)
        #expect(calls.count == 151)
        #expect(results.map { try? $0.get() } == requests.map { $0.map { $0 * 10 } })
    }

    @Test func aBadRowFailsOnlyItsOwnRequestAndNamesItsOwnRow() async throws {
        let requests: [[Double]] = [[1], [2, -1], [3]]
        let (results, _) = try await contend(requests)
        #expect((try? results[0].get()) == [10])
        #expect((try? results[2].get()) == [30])
        guard case .failure(let error as ConveyorError) = results[1] else {
            Issue.record("the request with the bad row should fail: \(results[1])")
            return
        }
        #expect(error.message.contains("row 2"), "its own row number, not the merged call's: \(error.message)")
    }

    @Test func skippedRowsSendEachRequestBackToRunAlone() async throws {
        let requests: [[Double]] = [[1, -2], [2], [3, 4]]
        let (results, calls) = try await contend(requests)
        #expect(results.map { try? $0.get() } == [[10], [20], [30, 40]])
        #expect(calls.count == 5, "blocked, merged (rows changed), then each alone: \(calls)")
    }
}
