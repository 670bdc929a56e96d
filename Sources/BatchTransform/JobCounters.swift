import Foundation

/// Running totals of a job, updated by concurrent object tasks and read by
/// the progress display.
public final class JobCounters: @unchecked Sendable {
    public struct Snapshot: Sendable {
        public var objects = 0
        public var succeeded = 0
        public var skipped = 0
        public var failed = 0
        public var records = 0
        public var failedRecords = 0
        public var bytesRead: Int64 = 0
        public var bytesWritten: Int64 = 0
        /// Total input bytes of the objects to do (for the ETA).
        public var bytesTotal: Int64 = 0
    }

    private let lock = NSLock()
    private var values = Snapshot()

    public init() {}

    public var snapshot: Snapshot { lock.withLock { values } }

    func start(objects: Int, bytes: Int64) {
        lock.withLock {
            values.objects = objects
            values.bytesTotal = bytes
        }
    }

    func add(succeeded: Int = 0, skipped: Int = 0, failed: Int = 0, records: Int = 0, failedRecords: Int = 0,
             bytesRead: Int64 = 0, bytesWritten: Int64 = 0) {
        lock.withLock {
            values.succeeded += succeeded
            values.skipped += skipped
            values.failed += failed
            values.records += records
            values.failedRecords += failedRecords
            values.bytesRead += bytesRead
            values.bytesWritten += bytesWritten
        }
    }
}
