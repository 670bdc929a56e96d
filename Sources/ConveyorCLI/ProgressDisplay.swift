import BatchTransform
import Foundation

/// A one-line progress display on standard error (objects, records, MB/s,
/// ETA), redrawn twice a second while a job runs on a terminal.
final class ProgressDisplay: @unchecked Sendable {
    private let counters: JobCounters
    private var task: Task<Void, Never>?
    private let started = Date()

    init(counters: JobCounters) {
        self.counters = counters
    }

    func start() {
        task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 500_000_000)
                guard let self else { return }
                StandardError.write("\r" + self.line() + "\u{1B}[K")
            }
        }
    }

    func stop() {
        task?.cancel()
        task = nil
        StandardError.write("\r\u{1B}[K")
    }

    func line() -> String {
        let s = counters.snapshot
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(s.bytesRead) / 1_048_576 / seconds
        let done = s.succeeded + s.skipped + s.failed
        var eta = "?"
        if s.bytesRead > 0 && s.bytesTotal > s.bytesRead {
            eta = String(format: "%.0fs", Double(s.bytesTotal - s.bytesRead) / (Double(s.bytesRead) / seconds))
        }
        return "objects \(done)/\(s.objects) (\(s.failed) failed) · records \(s.records) · "
            + String(format: "%.1f MB/s", rate) + " · ETA \(eta)"
    }
}
