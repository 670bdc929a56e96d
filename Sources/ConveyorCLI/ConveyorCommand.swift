import ArgumentParser

/// The `conveyor` command line.
public struct ConveyorCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "conveyor",
        abstract: "Serve fitted training artifacts (MLeap bundles, XGBoost models) as one inference pipeline.",
        discussion: """
            A pipeline is a JSON file that chains up to 15 stages. Try the bundled one:

              conveyor validate pipelines/car-evaluation.json
              conveyor inspect pipelines/car-evaluation.json
              echo 'low,low,5more,more,big,high' | conveyor predict --pipeline pipelines/car-evaluation.json

            docs/pipeline-format.md describes the pipeline file.
            """,
        version: "0.1.0",
        subcommands: [PredictCommand.self, ValidateCommand.self, InspectCommand.self]
    )

    public init() {}
}
