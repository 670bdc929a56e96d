import ConveyorCore
import Foundation
import LightGBM

/// A pipeline stage that runs a LightGBM text model on Conveyor's tree
/// engine: one vector column of features in, prediction columns out.
public struct LightGBMStage: LocalStage {
    /// The input column used when none is given (the pipeline's registry
    /// passes the previous stage's vector output instead).
    public static let defaultInput = "features"

    public let name: String
    public var kind: String { "lightgbm" }
    /// The feature column read by `transform`.
    public let input: String
    public let modelURL: URL
    public let model: LightGBMModel
    /// nil: one `score` column.
    let selection: [LightGBMOutput]?

    public var inputs: [ColumnSpec] { [ColumnSpec(input, .vector(model.numFeature))] }

    public var outputs: [ColumnSpec] {
        guard let selection else {
            return [ColumnSpec(LightGBMOutput.scoreColumn, model.outputs > 1 ? .vector(model.outputs) : .double)]
        }
        return selection.map { ColumnSpec($0.rawValue, $0.columnType(model)) }
    }

    /// Loads the model; `outputs` are `LightGBMOutput` names (nil: one `score` column).
    public init(name: String, modelURL: URL, input: String?, outputs: [String]?) throws {
        let model: LightGBMModel
        do {
            model = try LightGBMModel(contentsOf: modelURL)
        } catch {
            throw error.inStage(name)
        }
        try self.init(name: name, model: model, modelURL: modelURL, input: input, outputs: outputs)
    }

    public init(name: String, model: LightGBMModel, modelURL: URL, input: String?, outputs: [String]?) throws {
        self.name = name
        self.model = model
        self.modelURL = modelURL
        self.input = input ?? Self.defaultInput
        self.selection = try LightGBMOutput.selection(outputs, model: model, stage: name)
    }

    /// What `conveyor inspect` shows about the model.
    public var facts: [Fact] {
        [
            Fact("model", modelURL.path),
            Fact("format", "LightGBM text model \(model.version)"),
            Fact("objective", model.objective.line),
            Fact("num_feature", "\(model.numFeature)"),
            Fact("outputs per row", "\(model.outputs)"),
            Fact("trees", "\(model.treeCount) (\(model.iterations) iterations)"),
            Fact("average_output", model.averageOutput ? "yes (random forest)" : "no"),
            Fact("linear trees", "\(model.linearTreeCount)"),
            Fact("categorical splits", "\(model.categoricalSplitCount)"),
            Fact("engine", model.linearTreeCount > 0 ? "native (tree engine finds leaves; linear leaf kernel)" : "native"),
            Fact("input", "\(input) (vector of \(model.numFeature))"),
            Fact("outputs", outputs.map(\.description).joined(separator: ", ")),
        ]
    }
}
