import ConveyorCore
import Foundation
import ServiceLifecycle

/// The HTTP application as a service: a failure before it answered is its
/// bind failing, said as `listenFailed` with the address (NIO's own error
/// names neither). Only the application's errors are mapped here, so no
/// other service's failure can be mistaken for it.
struct HTTPListener: Service {
    /// Built with `listening.set` in its `onServerRunning`.
    let application: any Service
    let listening: ListeningFlag
    let host: String
    let port: Int

    func run() async throws {
        do {
            try await application.run()
        } catch where !listening.isSet && !(error is CancellationError) {
            throw ConveyorError.listenFailed("the HTTP server", host: host, port: port, reason: error)
        }
    }
}

/// Set once the HTTP server answers; read from the service group's task.
final class ListeningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
