import ConveyorCore
import Foundation

/// An MLflow model directory as a pipeline stage: the signature's columns
/// in, pyfunc's prediction out, computed by the stage of the flavour's own
/// kind (`inner`: the xgboost, lightgbm or sparkml stage), which this one
/// feeds and reads without copying its logic.
public struct MLflowStage: Stage {
    /// The vector column the signature's columns are assembled into for a tree model.
    public static let featuresColumn = "__mlflow_features"

    public let name: String
    public var kind: String { "mlflow" }
    public let model: MLflowModel
    public let inner: any Stage
    public let inputs: [ColumnSpec]
    public let outputs: [ColumnSpec]
    /// Tree flavours: the inner stage's vector input, assembled from `inputs` in signature order.
    let assembledInput: String?
    /// The inner stage's column that pyfunc returns.
    let prediction: String

    /// Checks the signature against the loaded model: input columns and
    /// widths, feature names when the model has real ones, output width and type.
    public init(name: String, model: MLflowModel, inner: any Stage, featureNames: [String]? = nil) throws {
        self.name = name
        self.model = model
        self.inner = inner
        let signature = model.signature
        inputs = signature.inputSpecs
        let flavour = model.flavour.name
        switch model.flavour {
        case .xgboost, .lightgbm:
            guard inner.inputs.count == 1, let width = inner.inputs[0].type.vectorWidth else {
                throw ConveyorError(.internal, "the \(flavour) stage does not read one vector of known width", stage: name)
            }
            try Self.checkTreeInputs(inputs, width: width, featureNames: featureNames, flavour: flavour, stage: name)
            assembledInput = inner.inputs[0].name
            guard let first = inner.outputs.first else {
                throw ConveyorError(.internal, "the \(flavour) stage has no output", stage: name)
            }
            prediction = first.name
        case .spark:
            try Self.checkSparkInputs(inputs, reads: inner.inputs, stage: name)
            assembledInput = nil
            // pyfunc reads 'prediction'; without one, MLflow renames the last stage's output to it.
            guard let column = inner.outputs.first(where: { $0.name == "prediction" }) ?? inner.outputs.last else {
                throw ConveyorError(.unsupportedModel, "the Spark model produces no column for pyfunc to return", stage: name)
            }
            prediction = column.name
        }
        let column = prediction
        guard let produced = inner.outputs.first(where: { $0.name == column }) else {
            throw ConveyorError(.internal, "the \(flavour) stage does not produce '\(column)'", stage: name)
        }
        outputs = [try Self.checkOutput(signature.outputs, produced: produced, flavour: flavour, stage: name)]
    }

    static func checkTreeInputs(_ inputs: [ColumnSpec], width: Int, featureNames: [String]?, flavour: String,
                                stage: String) throws {
        var values = 0
        for spec in inputs {
            guard spec.type.scalar.isNumeric || spec.type.scalar == .boolean, !spec.type.isList else {
                throw ConveyorError(.unsupportedModel, "the signature's input '\(spec.name)' is \(spec.type); the \(flavour) model reads "
                    + "numbers (encode it before the model, or put a preprocessing stage before this one)", stage: stage, column: spec.name)
            }
            switch spec.type.shape {
            case .scalar: values += 1
            case .vector(let w?): values += w
            case .vector(nil), .list:
                throw ConveyorError(.unsupportedModel, "the signature's input '\(spec.name)' is a vector of unknown width", stage: stage,
                                    column: spec.name)
            }
        }
        guard values == width else {
            throw ConveyorError(.invalidPipeline, "the signature gives \(values) input value\(values == 1 ? "" : "s") per row "
                + "(\(inputs.map(\.description).joined(separator: ", ").boundedForMessage(200))) but the \(flavour) model reads "
                + "\(width) features", stage: stage)
        }
        // Real feature names must match the signature's columns in order, as xgboost's validate_features demands.
        guard let featureNames, featureNames.count == inputs.count, inputs.allSatisfy({ $0.type.shape == .scalar }),
              !featureNames.enumerated().allSatisfy({ $1 == "Column_\($0)" || $1 == "f\($0)" }) else { return }
        for (index, (feature, spec)) in zip(featureNames, inputs).enumerated() where feature != spec.name {
            throw ConveyorError(.invalidPipeline, "the signature's input \(index + 1) is '\(spec.name.boundedForMessage(64))' but the "
                + "\(flavour) model's feature \(index + 1) is '\(feature.boundedForMessage(64))'", stage: stage, column: spec.name)
        }
    }

    static func checkSparkInputs(_ inputs: [ColumnSpec], reads: [ColumnSpec], stage: String) throws {
        for column in reads {
            guard let spec = inputs.first(where: { $0.name == column.name }) else {
                throw ConveyorError(.invalidPipeline, "the Spark model reads '\(column.name)', which the signature's inputs do not list "
                    + "(\(inputs.map(\.name).joined(separator: ", ").boundedForMessage(200)))", stage: stage, column: column.name)
            }
            if column.type.scalar.isNumeric, !column.type.isList, spec.type.scalar == .string {
                throw ConveyorError(.invalidPipeline, "the Spark model reads '\(column.name)' as \(column.type) but the signature "
                    + "declares it string", stage: stage, column: column.name)
            }
        }
    }

    /// The one output column: the signature's name (or `prediction`) and
    /// type, with the model's width.
    static func checkOutput(_ outputs: [MLflowColumn], produced: ColumnSpec, flavour: String, stage: String) throws -> ColumnSpec {
        guard outputs.count == 1, let output = outputs.first else {
            throw ConveyorError(.unsupportedModel, "the signature has \(outputs.count) outputs; the \(flavour) model predicts one "
                + "column (\(produced.type))", stage: stage)
        }
        let width = { (type: ColumnType) -> Int? in
            switch type.shape {
            case .scalar: return 1
            case .vector(let w): return w
            case .list: return nil
            }
        }
        let declared = width(output.type)
        let predicted = width(produced.type)
        guard declared == predicted || (output.type.isVector && output.type.vectorWidth == nil && produced.type.isVector) else {
            throw ConveyorError(.invalidPipeline, "the signature's output is \(output.mlflowType) (\(declared.map(String.init) ?? "a list") per row) "
                + "but the \(flavour) model predicts \(produced.type)", stage: stage)
        }
        guard (output.type.scalar == .string) == (produced.type.scalar == .string) else {
            throw ConveyorError(.invalidPipeline, "the signature's output is \(output.mlflowType) but the \(flavour) model predicts "
                + "\(produced.type)", stage: stage)
        }
        var type = output.type
        if type.isVector { type.shape = produced.type.shape }
        return ColumnSpec(output.name ?? "prediction", type)
    }
}
