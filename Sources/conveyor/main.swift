import ConveyorCLI
import Foundation
import Logging

// The only place that bootstraps logging: to standard error, so standard
// output carries nothing but results.
let level = ProcessInfo.processInfo.environment["CONVEYOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}
await ConveyorCommand.runAsRoot()
