import Foundation
import ArgumentParser
import Prometheus
import Server

/// The `conveyor` command line.
// The availability attribute lets ArgumentParser run async subcommands on Linux too.
@available(macOS 13, *)
public struct ConveyorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "conveyor",
        abstract: "Serve fitted training artifacts (MLeap bundles, XGBoost models) as one inference pipeline.",
        discussion: """
            A pipeline is a JSON file that chains up to 15 stages. Try the bundled one:

              conveyor validate pipelines/car-evaluation.json
              conveyor inspect pipelines/car-evaluation.json
              echo 'low,low,5more,more,big,high' | conveyor predict --pipeline pipelines/car-evaluation.json
              conveyor serve      # HTTP on 127.0.0.1:8080; see docs/serving.md

            docs/pipeline-format.md describes the pipeline file.
            """,
        version: ConveyorServer.version,
        subcommands: [PredictCommand.self, PipeCommand.self, ServeCommand.self, TransformCommand.self, ValidateCommand.self, InspectCommand.self]
    )

    public init() {}
}

extension ConveyorCommand {
    /// Parses the process arguments and runs the chosen command, async or
    /// not. (ArgumentParser's own async `main()` is not picked from a
    /// top-level `main.swift` on Linux.)
    /// `prometheus` is the registry `main` bootstrapped metrics with; `serve`
    /// renders it at `/metrics`.
    public static func runAsRoot(prometheus: PrometheusCollectorRegistry? = nil) async {
        do {
            var command = try parseAsRoot()
            if let serve = command as? ServeCommand {
                try await serve.run(prometheus: prometheus)
            } else if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // Help and other clean exits print to standard output, as ArgumentParser does.
            guard code != .success else { exit(withError: error) }
            // One write: ArgumentParser writes its message to standard error a
            // byte at a time, and log lines written at the same moment (a
            // server shutting down after a failed start) split it.
            let message = fullMessage(for: error)
            if !message.isEmpty {
                StandardError.write(message + "\n")
            }
            Foundation.exit(code.rawValue)
        }
    }
}
