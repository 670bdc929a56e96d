import ArgumentParser
import ConveyorCore
import Foundation
import Pipeline

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a pipeline's stages, their input and output columns, and facts about each model.",
        discussion: """
            Shows for each stage its kind, model file, the columns it reads and writes (with vector
            widths), and model facts: for XGBoost the objective, classes, feature count, trees and the
            producing XGBoost version; for MLeap bundles every node's op and sizes.

            Examples:
              conveyor inspect pipelines/car-evaluation.json
              conveyor inspect --json pipelines/car-evaluation-sklearn.json | jq '.stages[1].facts'
              conveyor inspect models/car-evaluation-spark/pipeline    (a Spark ML model directory)
              conveyor inspect path/to/mlflow-model                    (an MLflow model directory: its signature)
            """
    )

    @Argument(help: "The pipeline JSON file, or a Spark ML or MLflow model directory.", completion: .file(extensions: ["json"]))
    var pipeline: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let loaded: Pipeline
        do {
            // A folder (a Spark ML or MLflow model directory) loads as a one-stage pipeline.
            loaded = try PipelineLoader(registry: .cli).load(contentsOf: URL(fileURLWithPath: pipeline))
        } catch {
            throw ExitStatus.fail(error)
        }
        print(json ? PipelineDescription(loaded).json() : PipelineDescription(loaded).text(), terminator: "")
    }
}
