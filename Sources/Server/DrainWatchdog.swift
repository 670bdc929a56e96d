#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle

/// Runs a service and, once graceful shutdown starts, gives it `deadline`
/// to return; past that the process exits with status 1. A request stuck
/// in a computation cannot be cancelled, and SIGTERM must still end the
/// process (containers are killed otherwise, with no log line saying why).
struct DrainWatchdog: Service {
    let service: any Service
    let deadline: Duration
    let logger: Logger

    func run() async throws {
        let deadline = self.deadline
        let logger = self.logger
        try await withGracefulShutdownHandler {
            try await service.run()
        } onGracefulShutdown: {
            Task.detached {
                try await Task.sleep(for: deadline)
                logger.critical("requests still running \(deadline) after SIGTERM; exiting without them")
                exit(1)
            }
        }
    }
}

/// The process's open-file limit, raised to its hard maximum: each
/// connection is a file descriptor.
enum DescriptorLimit {
    static func raise() -> Int {
        #if canImport(Glibc)
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        let ceiling: rlim_t = min(limit.rlim_max, 1 << 20)
        if limit.rlim_cur < ceiling {
            var raised = limit
            raised.rlim_cur = ceiling
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
        #else
        return 1024
        #endif
    }
}
