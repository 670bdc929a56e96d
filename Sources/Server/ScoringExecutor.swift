import Foundation

/// Threads of their own for decoding, running pipelines and encoding: a
/// task executor preferred by every invocation (`withTaskExecutorPreference`).
/// Scoring large bodies keeps a core busy for seconds without suspending;
/// on Swift's cooperative pool (one thread per core) it starved every other
/// task — `/ping` waited seconds behind 5.9 MB requests. With scoring here,
/// the pool stays free for routing, health checks and reading bodies, and
/// the operating system shares the cores. The threads end with the executor.
final class ScoringExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = JobQueue()

    init(threads: Int) {
        let queue = self.queue
        let executor = UnownedTaskExecutor(ordinary: self)
        for index in 0..<max(1, threads) {
            let thread = Thread { queue.work(on: executor) }
            thread.name = "conveyor-scoring-\(index)"
            thread.start()
        }
    }

    deinit { queue.stop() }

    /// Jobs run so far (tests: which requests were scored here).
    var jobsRun: Int { queue.jobsRun }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    private final class JobQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [UnownedJob] = []
        private var head = 0
        private var stopped = false
        private var taken = 0

        var jobsRun: Int {
            condition.lock()
            defer { condition.unlock() }
            return taken
        }

        func push(_ job: UnownedJob) {
            condition.lock()
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        func work(on executor: UnownedTaskExecutor) {
            while true {
                condition.lock()
                while head == jobs.count && !stopped { condition.wait() }
                if stopped {
                    condition.unlock()
                    return
                }
                let job = jobs[head]
                head += 1
                taken += 1
                if head > 1024, head * 2 > jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                condition.unlock()
                job.runSynchronously(on: executor)
            }
        }
    }
}
