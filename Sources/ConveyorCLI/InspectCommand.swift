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
            """
    )

    @Argument(help: "The pipeline JSON file, or a Spark ML model directory.", completion: .file(extensions: ["json"]))
    var pipeline: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let loaded: Pipeline
        do {
            let url = URL(fileURLWithPath: pipeline)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                // A saved Spark ML model directory: inspect it as a one-stage sparkml pipeline.
                let stage = StageDefinition(name: url.lastPathComponent, kind: "sparkml", model: url.path)
                loaded = try PipelineLoader(registry: .cli).load(PipelineDefinition(name: url.lastPathComponent, stages: [stage]),
                                                   relativeTo: url.deletingLastPathComponent())
            } else {
                loaded = try PipelineLoader(registry: .cli).load(contentsOf: url)
            }
        } catch {
            throw ExitStatus.fail(error)
        }
        print(json ? PipelineDescription(loaded).json() : PipelineDescription(loaded).text(), terminator: "")
    }
}
