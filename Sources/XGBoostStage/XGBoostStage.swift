import ConveyorCore
import Foundation
import SageMakerArtifacts
import XGBoost

/// A pipeline stage that runs an XGBoost model, as SageMaker's XGBoost
/// container does, in process: one vector column of features in,
/// prediction columns out.
public struct XGBoostStage: LocalStage {
    /// The input column used when none is given (the pipeline's registry
    /// passes the previous stage's output instead).
    public static let defaultInput = "features"

    public let name: String
    public var kind: String { "xgboost" }
    /// The feature column read by `transform`.
    public let input: String
    public let modelURL: URL
    public let booster: Booster
    /// How the model was stored ("file", or a SageMaker artifact and pickle).
    public private(set) var packaging = "file"
    let selection: OutputSelection
    /// `input` and the output columns' names, hashed once (`Frame.Name`).
    let inputName: Frame.Name
    let outputNames: [Frame.Name]

    public var model: ModelFacts { booster.facts }
    public var inputs: [ColumnSpec] { [ColumnSpec(input, .vector(model.numFeature))] }

    public var outputs: [ColumnSpec] { Self.outputs(selection, model) }

    static func outputs(_ selection: OutputSelection, _ model: ModelFacts) -> [ColumnSpec] {
        switch selection {
        case .score:
            // multi:softmax predicts one class per row; softprob and
            // multi-target models one value per class or target.
            let width = model.objective == .multiSoftmax ? 1 : model.outputGroups
            let type = width > 1 ? ColumnType(.float, .vector(width: width)) : ColumnType(.float)
            return [ColumnSpec(OutputSelection.scoreColumn, type)]
        case .keys(let keys):
            return keys.map { ColumnSpec($0.rawValue, $0.columnType(model)) }
        }
    }

    /// Loads the model — a model file, or a SageMaker `model.tar.gz` whose
    /// `xgboost-model` may be a pickled Booster. `outputs` are `SAGEMAKER_INFERENCE_OUTPUT` keys (nil:
    /// one `score` column); `inputWidth`, when the pipeline knows it, must
    /// equal the model's feature count.
    public init(name: String, modelURL: URL, input: String?, outputs: [String]?, inputWidth: Int? = nil,
                engine: Booster.Engine = .native) throws {
        let booster: Booster
        let artifact: XGBoostArtifact.Loaded
        do {
            artifact = try XGBoostArtifact.load(modelURL)
        } catch let error as ConveyorError {
            throw error.inStage(name)
        }
        do {
            booster = try Booster(modelData: artifact.bytes, options: Booster.Options(engine: engine))
        } catch {
            throw error.conveyorError(stage: name, file: modelURL.path)
        }
        try self.init(name: name, booster: booster, modelURL: modelURL, input: input, outputs: outputs,
                      inputWidth: inputWidth)
        packaging = artifact.packaging
    }

    /// Builds the stage around an already loaded booster.
    public init(name: String, booster: Booster, modelURL: URL, input: String?, outputs: [String]?,
                inputWidth: Int? = nil) throws {
        self.name = name
        self.booster = booster
        self.modelURL = modelURL
        self.input = input ?? Self.defaultInput
        self.selection = try Self.selection(outputs, facts: booster.facts, stage: name, file: modelURL.path)
        inputName = Frame.Name(self.input)
        outputNames = Self.outputs(selection, booster.facts).map { Frame.Name($0.name) }
        if let inputWidth, inputWidth != booster.facts.numFeature {
            throw ConveyorError(
                .chainMismatch,
                "input '\(self.input)' has \(inputWidth) features but the XGBoost model \(modelURL.path) "
                    + "expects \(booster.facts.numFeature)",
                stage: name, column: self.input)
        }
    }

    private static func selection(_ names: [String]?, facts: ModelFacts, stage: String,
                                  file: String) throws -> OutputSelection {
        guard let names else { return .score }
        let valid = OutputKey.valid(for: facts)
        var keys: [OutputKey] = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard let key = OutputKey(rawValue: name) else {
                throw ConveyorError(
                    .invalidPipeline,
                    "unknown XGBoost output '\(raw)'; expected one of "
                        + OutputKey.allCases.map(\.rawValue).joined(separator: ", "),
                    stage: stage)
            }
            guard valid.contains(key) else {
                throw ConveyorError(
                    .invalidPipeline,
                    "output '\(key.rawValue)' is not available for objective \(facts.objective)"
                        + (facts.outputGroups > 1 && !facts.objective.isMultiClass
                            ? " with \(facts.outputGroups) targets" : "")
                        + " (model \(file)); available: "
                        + (valid.isEmpty ? "none (only the default 'score')" : valid.map(\.rawValue).joined(separator: ", ")),
                    stage: stage)
            }
            guard !keys.contains(key) else {
                throw ConveyorError(.invalidPipeline, "output '\(key.rawValue)' is listed twice", stage: stage)
            }
            keys.append(key)
        }
        guard !keys.isEmpty else {
            throw ConveyorError(.invalidPipeline, "the list of XGBoost outputs is empty", stage: stage)
        }
        return .keys(keys)
    }
}
