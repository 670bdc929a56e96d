import ConveyorCore
import Foundation

/// The model inside a Spark probabilistic classifier: features → raw
/// prediction → probability → predicted class index.
protocol ClassifierModel: Sendable {
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
}

extension ClassifierModel {
    func prediction(raw: [Double], probability: [Double]) -> Double {
        Double(Classification.argmax(probability))
    }
}

/// Spark's shared arithmetic for classifiers.
enum Classification {
    /// The first index of the largest value (Spark's `Vector.argmax`).
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }

    /// Divides by the sum, leaving an all-zero vector as it is.
    static func normalize(_ values: inout [Double]) {
        let sum = values.reduce(0, +)
        guard sum != 0 else { return }
        for index in values.indices { values[index] /= sum }
    }

    /// Softmax, shifted by the maximum for stability as Spark does.
    static func softmax(_ values: inout [Double]) {
        guard let largest = values.max() else { return }
        var sum = 0.0
        for index in values.indices {
            values[index] = exp(values[index] - largest)
            sum += values[index]
        }
        for index in values.indices { values[index] /= sum }
    }

    /// Spark's `probability2prediction` with thresholds: the class whose
    /// probability divided by its threshold is largest; a zero threshold wins.
    static func thresholded(_ probability: [Double], _ thresholds: [Double]) -> Double {
        var best = 0
        var bestScore = -Double.infinity
        for index in probability.indices {
            let t = thresholds[index]
            let score = t == 0 ? Double.infinity : probability[index] / t
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        return Double(best)
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

    init(_ node: BundleNode, model: any ClassifierModel) throws {
        guard let features = node.input(port: "features") ?? node.inputNames.first else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no features input")
        }
        name = node.name
        op = node.op
        self.model = model
        inputNames = [features]
        rawColumn = node.output(port: "raw_prediction")
        probabilityColumn = node.output(port: "probability")
        predictionColumn = node.output(port: "prediction")
        if node.attributes.has("thresholds") {
            let values = try node.attributes.doubles("thresholds")
            guard values.count == model.numClasses else {
                throw ConveyorError(
                    .modelCorrupt,
                    "MLeap node '\(node.name)' (\(node.op)): \(values.count) thresholds for \(model.numClasses) classes")
            }
            thresholds = values
        } else {
            thresholds = nil
        }
        var specs: [ColumnSpec] = []
        for output in node.outputs {
            switch output.port {
            case "raw_prediction", "probability": specs.append(ColumnSpec(output.name, .vector(model.numClasses)))
            case "prediction": specs.append(ColumnSpec(output.name, .double))
            default:
                throw ConveyorError(
                    .unsupportedModel, "MLeap node '\(node.name)' (\(node.op)): unknown output port '\(output.port)'")
            }
        }
        guard predictionColumn != nil || rawColumn != nil || probabilityColumn != nil else {
            throw ConveyorError(.modelCorrupt, "MLeap node '\(node.name)' (\(node.op)) has no outputs")
        }
        outputs = specs
    }

    var inputType: ColumnType { .vector(model.numFeatures) }

    var details: [Fact] {
        var facts = [Fact("classes", "\(model.numClasses)"), Fact("features", "\(model.numFeatures)")]
        facts += model.details
        if let thresholds { facts.append(Fact("thresholds", thresholds.map { "\($0)" }.joined(separator: ", "))) }
        return facts
    }

    func apply(to frame: inout Frame, stage: String) throws {
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
