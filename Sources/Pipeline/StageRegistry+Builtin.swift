import ConveyorCore
import Foundation
import LightGBMStage
import MLeap
import SparkML
import XGBoost
import XGBoostStage

extension StageRegistry {
    /// The stage kinds Conveyor ships with.
    public static let builtin: StageRegistry = {
        var registry = StageRegistry()
        registry.register("mleap") { context in
            try context.refuseEngine()
            return try MLeapStage(name: context.definition.name, bundleURL: context.modelURL, schema: context.schema)
        }
        registry.register("xgboost") { context in
            // Without an explicit input the booster reads the previous
            // stage's vector output, as the next container in a SageMaker
            // pipeline reads the previous one's response.
            let input = context.definition.input
                ?? context.previousOutputs.first(where: { $0.type.isVector })?.name
            // The width is checked by the chain check, whose message names
            // both stages.
            return try XGBoostStage(
                name: context.definition.name, modelURL: context.modelURL,
                input: input, outputs: context.definition.outputs, engine: try context.xgboostEngine())
        }
        registry.register("lightgbm") { context in
            try context.refuseEngine()
            // Like xgboost: the previous stage's vector output unless `input` names a column.
            let input = context.definition.input
                ?? context.previousOutputs.first(where: { $0.type.isVector })?.name
            return try LightGBMStage(name: context.definition.name, modelURL: context.modelURL, input: input,
                                     outputs: context.definition.outputs)
        }
        registry.register("sparkml") { context in
            try context.refuseEngine()
            return try SparkMLStage(name: context.definition.name, modelURL: context.modelURL, schema: context.schema)
        }
        registry.registerMLflow()
        return registry
    }()
}
