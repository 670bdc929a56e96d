import ConveyorCore
import Foundation
import Pipeline

/// The SageMaker containers' environment variables that configure models,
/// applied to a pipeline definition before loading. A setting written in the
/// pipeline file wins.
struct SageMakerEnvironment {
    /// `SAGEMAKER_SPARKML_SCHEMA`: the schema of mleap stages that give none.
    var sparkMLSchema: String?
    /// `SAGEMAKER_INFERENCE_OUTPUT`: outputs of xgboost stages that give none.
    var inferenceOutput: String?

    init(_ environment: [String: String]) {
        sparkMLSchema = environment["SAGEMAKER_SPARKML_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 }
        inferenceOutput = environment["SAGEMAKER_INFERENCE_OUTPUT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func apply(to definition: PipelineDefinition) throws -> PipelineDefinition {
        var definition = definition
        for index in definition.stages.indices {
            let stage = definition.stages[index]
            if stage.kind == "mleap", stage.schema == nil, let sparkMLSchema {
                do {
                    let schema = try JSONDecoder().decode(Schema.self, from: Data(sparkMLSchema.utf8))
                    definition.stages[index].schema = .inline(schema)
                } catch {
                    throw ConveyorError(.invalidPipeline, "SAGEMAKER_SPARKML_SCHEMA is not a valid schema: \(error)",
                                        stage: stage.name)
                }
            }
            if stage.kind == "xgboost", stage.outputs == nil, let inferenceOutput {
                definition.stages[index].outputs = inferenceOutput.split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        return definition
    }
}
