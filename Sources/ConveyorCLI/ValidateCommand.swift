import ArgumentParser
import ConveyorCore
import Foundation
import Pipeline

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load a pipeline, its models and schemas, and check that the stages fit together.",
        discussion: """
            Exits 0 when the pipeline loads; otherwise prints what is wrong (naming the stage,
            and for chain mismatches both stages) and exits 3. An MLflow model's saved input
            example is run through the pipeline and its result printed; if it fails, exit 3.

            Example:
              conveyor validate pipelines/car-evaluation.json
              conveyor validate path/to/mlflow-model
            """
    )

    @Argument(help: "The pipeline JSON file, or a model folder (MLflow, Spark ML).", completion: .file(extensions: ["json"]))
    var pipeline: String

    func run() async throws {
        do {
            let loaded = try PipelineLoader(registry: .cli).load(contentsOf: URL(fileURLWithPath: pipeline))
            let examples = try await InputExampleCheck(pipeline: loaded).run()
            let inputs = loaded.inputs.map(\.description).joined(separator: ", ")
            let outputs = loaded.outputs.map(\.description).joined(separator: ", ")
            print("ok: pipeline '\(loaded.name)', \(loaded.stages.count) stage\(loaded.stages.count == 1 ? "" : "s")")
            print("  input:  \(inputs)")
            print("  output: \(outputs)")
            for line in examples { print(line) }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
