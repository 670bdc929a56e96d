import ConveyorCore
import Foundation
import Yams

/// An MLflow model directory as `mlflow.<flavor>.save_model` writes it: an
/// `MLmodel` YAML file naming the flavours, the signature and the input
/// example. Only the file is read here; the model itself is loaded by the
/// stage kind of its flavour.
public struct MLflowModel: Sendable {
    public static let fileName = "MLmodel"

    public let directory: URL
    public let flavour: MLflowFlavour
    public let signature: MLflowSignature
    public let mlflowVersion: String?
    /// `input_example.json` (or the file `saved_input_example_info` names), when there is one.
    public let inputExampleURL: URL?

    /// Whether `url` is a folder holding an `MLmodel` file.
    public static func isModelDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
            && FileManager.default.fileExists(atPath: url.appendingPathComponent(fileName).path)
    }

    public init(directory: URL) throws {
        self.directory = directory
        let file = directory.appendingPathComponent(Self.fileName)
        let data = try BoundedJSON.readFile(file, limit: MLflowLimits.maxMLmodelBytes, what: "MLmodel file")
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConveyorError(.modelCorrupt, "\(file.path) is not UTF-8 text")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text), case .mapping = node else {
                throw ConveyorError(.modelCorrupt, "\(file.path) is not a YAML mapping of MLmodel fields")
            }
            root = node
        } catch let error as ConveyorError {
            throw error
        } catch {
            throw ConveyorError(.modelCorrupt, "\(file.path) is not valid YAML: \("\(error)".boundedForMessage(200))")
        }
        guard let flavors = root.value("flavors"), case .mapping = flavors else {
            throw ConveyorError(.modelCorrupt, "\(file.path) has no 'flavors' mapping")
        }
        flavour = try MLflowFlavour.choose(flavors, directory: directory)
        mlflowVersion = root.value("mlflow_version")?.text
        guard let signature = root.value("signature"), let inputs = signature.value("inputs")?.text,
              let outputs = signature.value("outputs")?.text else {
            throw ConveyorError(.unsupportedModel, "\(file.path) has no signature with inputs and outputs; Conveyor takes the stage's "
                + "columns from it: save the model with signature=infer_signature(X, model.predict(X))")
        }
        do {
            self.signature = try MLflowSignature(inputs: inputs, outputs: outputs)
        } catch let error as ConveyorError {
            var copy = error
            copy.message = "\(file.path): \(error.message)"
            throw copy
        }
        inputExampleURL = try Self.exampleURL(root.value("saved_input_example_info"), directory: directory)
    }

    static func exampleURL(_ info: Node?, directory: URL) throws -> URL? {
        guard let info else { return nil }
        let path = info.value("artifact_path")?.text ?? "input_example.json"
        return try MLflowFlavour.member(path, of: directory, flavour: "input example", folder: false)
    }

    /// Reads the input example (for `conveyor validate`); nil when the model has none.
    public func inputExample() throws -> MLflowInputExample? {
        guard let inputExampleURL else { return nil }
        return try MLflowInputExample(url: inputExampleURL, inputs: signature.inputSpecs)
    }
}
