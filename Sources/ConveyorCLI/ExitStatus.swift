import ArgumentParser
import ConveyorCore

/// The one place where error codes become process exit codes.
///
/// 0 success · 1 bad input rows · 2 usage (ArgumentParser) ·
/// 3 invalid pipeline or model · 4 internal or I/O failure.
enum ExitStatus {
    static func code(for error: ConveyorError) -> Int32 {
        switch error.code {
        case .invalidInput, .emptyInput, .unsupportedContentType, .unsupportedAccept:
            return 1
        case .invalidPipeline, .chainMismatch, .modelNotFound, .modelCorrupt, .unsupportedModel, .notExplainable:
            return 3
        default:
            return 4
        }
    }

    /// Prints `error: …` to standard error and returns the exit code to throw.
    static func fail(_ error: any Error) -> ExitCode {
        let conveyorError = ConveyorError.wrap(error, code: .internal)
        StandardError.write("error: \(conveyorError)\n")
        return ExitCode(code(for: conveyorError))
    }
}
