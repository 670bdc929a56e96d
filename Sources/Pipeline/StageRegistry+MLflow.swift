import ConveyorCore
import Foundation
import LightGBMStage
import MLflow
import SparkML
import XGBoostStage

extension StageRegistry {
    /// The `mlflow` kind: an MLflow model directory, loaded by the stage
    /// kind of its flavour and wrapped in its signature.
    mutating func registerMLflow() {
        register("mlflow") { context in
            let definition = context.definition
            for (key, given) in [("schema", definition.schema != nil), ("input", definition.input != nil),
                                 ("outputs", definition.outputs != nil)] where given {
                throw ConveyorError(.invalidPipeline, "'\(key)' does not apply to mlflow stages: their columns come from the "
                    + "MLmodel file's signature", stage: definition.name)
            }
            let model: MLflowModel
            do {
                model = try MLflowModel(directory: context.modelURL)
            } catch let error as ConveyorError {
                throw error.inStage(definition.name)
            }
            let name = definition.name
            let inner: any Stage
            var featureNames: [String]?
            switch model.flavour {
            case .xgboost(let url, _, _):
                // pyfunc returns XGBClassifier.predict's labels, else the booster's prediction as is.
                inner = try XGBoostStage(name: name, modelURL: url, input: MLflowStage.featuresColumn,
                                         outputs: model.flavour.predictsLabels ? ["predicted_label"] : nil,
                                         engine: try context.xgboostEngine())
            case .lightgbm(let url):
                try context.refuseEngine()
                let stage = try LightGBMStage(name: name, modelURL: url, input: MLflowStage.featuresColumn, outputs: nil)
                featureNames = stage.model.featureNames
                inner = stage
            case .spark(let url, _):
                try context.refuseEngine()
                inner = try SparkMLStage(name: name, modelURL: url, schema: nil)
            }
            return try MLflowStage(name: name, model: model, inner: inner, featureNames: featureNames)
        }
    }
}
