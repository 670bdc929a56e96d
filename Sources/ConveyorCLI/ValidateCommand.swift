import ArgumentParser
import ConveyorCore
import Foundation
import Pipeline

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load a pipeline, its models and schemas, and check that the stages fit together.",
        discussion: """
            Exits 0 when the pipeline loads; otherwise prints what is wrong (naming the stage,
            and for chain mismatches both stages) and exits 3.

            Example:
              conveyor validate pipelines/car-evaluation.json
            """
    )

    @Argument(help: "The pipeline JSON file.", completion: .file(extensions: ["json"]))
    var pipeline: String

    func run() throws {
        do {
            let loaded = try PipelineLoader(registry: .cli).load(contentsOf: URL(fileURLWithPath: pipeline))
            let inputs = loaded.inputs.map(\.description).joined(separator: ", ")
            let outputs = loaded.outputs.map(\.description).joined(separator: ", ")
            print("ok: pipeline '\(loaded.name)', \(loaded.stages.count) stage\(loaded.stages.count == 1 ? "" : "s")")
            print("  input:  \(inputs)")
            print("  output: \(outputs)")
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
