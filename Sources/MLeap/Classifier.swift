import ConveyorCore
import Foundation
import Operators

/// The model inside a Spark probabilistic classifier: features → raw
/// prediction → probability → predicted class index.
protocol ClassifierModel: ClassifierScorer {
    var numClasses: Int { get }
    var numFeatures: Int { get }
    var details: [Fact] { get }
    /// Writes the raw prediction (margins, votes or class counts) for `x`.
    func raw(_ x: ArraySlice<Double>, into raw: inout [Double])
    /// Turns a raw prediction into class probabilities, in place.
    func probability(_ values: inout [Double])
    /// The prediction when the node has no `thresholds` (usually the argmax
    /// of the probabilities; binary models compare with their threshold).
    func prediction(raw: [Double], probability: [Double]) -> Double
    /// A kernel computing the node's columns in one pass, when the model has one.
    func columnKernel(_ ports: ClassifierPorts) -> (any Kernel)?
}

extension ClassifierModel {
    func prediction(raw: [Double], probability: [Double]) -> Double {
        Double(Classification.argmax(probability))
    }

    func columnKernel(_ ports: ClassifierPorts) -> (any Kernel)? { nil }
}

/// Spark's shared classifier arithmetic lives with the kernels.
typealias Classification = Operators.Classification

/// A classifier node's columns: the features it reads, whichever of
/// `raw_prediction`, `probability` and `prediction` it writes, and its
/// optional `thresholds`.
struct ClassifierPorts {
    let features: String
    let raw: String?
    let probability: String?
    let prediction: String?
    let thresholds: [Double]?
    let specs: [ColumnSpec]

    init(_ node: BundleNode, classes: Int) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        self.features = features
        raw = node.output(port: "raw_prediction")
        probability = node.output(port: "probability")
        prediction = node.output(port: "prediction")
        if node.attributes.has("thresholds") {
            let values = try node.attributes.doubles("thresholds")
            guard values.count == classes else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (\(node.op)): \(values.count) thresholds for \(classes) classes")
            }
            thresholds = values
        } else {
            thresholds = nil
        }
        var specs: [ColumnSpec] = []
        for output in node.outputs {
            switch output.port {
            case "raw_prediction", "probability": specs.append(ColumnSpec(output.name, .vector(classes)))
            case "prediction": specs.append(ColumnSpec(output.name, .double))
            default:
                throw ConveyorError(
                    .unsupportedModel, "MLeap node '\(node.name)' (\(node.op)): unknown output port '\(output.port)'")
            }
        }
        guard prediction != nil || raw != nil || probability != nil else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no outputs")
        }
        self.specs = specs
    }

    var facts: [Fact] {
        thresholds.map { [Fact("thresholds", $0.map { "\($0)" }.joined(separator: ", "))] } ?? []
    }
}

/// A classifier node: reads one feature vector, writes whichever of
/// `raw_prediction`, `probability` and `prediction` its shape names.
struct ClassifierNode: NodeTransformer {
    let name: String
    let op: String
    let inputNames: [String]
    let outputs: [ColumnSpec]
    let model: any ClassifierModel
    let thresholds: [Double]?
    let rawColumn: String?
    let probabilityColumn: String?
    let predictionColumn: String?
    let kernel: (any Kernel)?

    init(_ node: BundleNode, model: any ClassifierModel) throws {
        let ports = try ClassifierPorts(node, classes: model.numClasses)
        name = node.name
        op = node.op
        self.model = model
        inputNames = [ports.features]
        rawColumn = ports.raw
        probabilityColumn = ports.probability
        predictionColumn = ports.prediction
        thresholds = ports.thresholds
        outputs = ports.specs
        kernel = model.columnKernel(ports)
    }

    var inputType: ColumnType { .vector(model.numFeatures) }

    var details: [Fact] {
        var facts = [Fact("classes", "\(model.numClasses)"), Fact("features", "\(model.numFeatures)")]
        facts += model.details
        if let thresholds { facts.append(Fact("thresholds", thresholds.map { "\($0)" }.joined(separator: ", "))) }
        return facts
    }

    func apply(to frame: inout Frame, stage: String) throws {
        if let kernel { return try kernel.apply(to: &frame, stage: stage) }
        let block = try Inputs.block(frame, inputNames[0], width: model.numFeatures, stage: stage)
        let rows = block.rowCount
        let k = model.numClasses
        var rawBlock = VectorBlock(width: k, rows: rawColumn == nil ? 0 : rows)
        var probabilityBlock = VectorBlock(width: k, rows: probabilityColumn == nil ? 0 : rows)
        var predictions = [Double](repeating: 0, count: predictionColumn == nil ? 0 : rows)
        var raw = [Double](repeating: 0, count: k)
        for row in 0..<rows {
            for index in 0..<k { raw[index] = 0 }
            model.raw(block.row(row), into: &raw)
            if rawColumn != nil { rawBlock.storage.replaceSubrange((row * k)..<((row + 1) * k), with: raw) }
            guard probabilityColumn != nil || predictionColumn != nil else { continue }
            var probability = raw
            model.probability(&probability)
            if probabilityColumn != nil {
                probabilityBlock.storage.replaceSubrange((row * k)..<((row + 1) * k), with: probability)
            }
            if predictionColumn != nil {
                predictions[row] = thresholds.map { Classification.thresholded(probability, $0) }
                    ?? model.prediction(raw: raw, probability: probability)
            }
        }
        if let rawColumn { try frame.put(.vectors(rawColumn, rawBlock)) }
        if let probabilityColumn { try frame.put(.vectors(probabilityColumn, probabilityBlock)) }
        if let predictionColumn { try frame.put(.doubles(predictionColumn, predictions)) }
    }
}
