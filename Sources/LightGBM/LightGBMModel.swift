import ConveyorCore
import Foundation
import TreeEngine

/// A LightGBM text model (`Booster.save_model`, or the model string
/// SynapseML writes, the same format), parsed and checked, its trees
/// compiled for Conveyor's tree engine. Predictions are LightGBM's
/// `predict` and `predict(raw_score=True)`: the raw score of each output
/// is the sum in double, in tree order, of its trees' leaf values; then
/// `average_output` (random forests) and the objective's transform.
public struct LightGBMModel: Sendable {
    /// `max_feature_idx + 1`: the width of a row.
    public let numFeature: Int
    public let featureNames: [String]
    /// `num_tree_per_iteration`: values per row.
    public let outputs: Int
    public let objective: LightGBMObjective
    public let averageOutput: Bool
    public let treeCount: Int
    public let iterations: Int
    /// The header's `version=` (v2, v3, v4).
    public let version: String
    /// Trees with linear leaves (`linear_tree`).
    public let linearTreeCount: Int
    public let categoricalSplitCount: Int
    /// Features whose zero is missing (`zero_as_missing`, missing_type Zero).
    public let zeroAsMissingFeatures: Int

    /// How each feature's value is prepared before the trees see it.
    let inputs: [InputMapping]
    let ensemble: TreeEnsemble<Double>
    /// For models with linear leaves: which leaf each tree reaches (one
    /// output per tree), and the leaves' linear models.
    let linearLeaves: LinearKernel?
    /// TreeSHAP over the trees, or why there is none.
    let explanation: Result<TreeExplainer<Double>, ConveyorError>

    /// Reads a model file: at most `LightGBMLimits.maxFileBytes`.
    public init(contentsOf url: URL) throws(ConveyorError) {
        let path = url.path
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw ConveyorError(.modelNotFound, "LightGBM model \(path) cannot be read: \(error.localizedDescription)")
        }
        guard size <= LightGBMLimits.maxFileBytes else {
            throw LightGBMLimits.exceeded(path, "file size", size, LightGBMLimits.maxFileBytes, "maxFileBytes")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConveyorError(.modelNotFound, "LightGBM model \(path) cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= LightGBMLimits.maxFileBytes else {
            throw LightGBMLimits.exceeded(path, "file size", data.count, LightGBMLimits.maxFileBytes, "maxFileBytes")
        }
        try self.init(bytes: [UInt8](data), source: path)
    }

    /// Parses and checks `bytes`; `source` names them in errors.
    public init(bytes: [UInt8], source: String) throws(ConveyorError) {
        let text = try ModelText(bytes: bytes, source: source)
        try Self.refusePandasCategories(bytes, source: source)
        let header = Header(text: text)
        let numClass = try header.integer("num_class", in: 1...LightGBMLimits.maxOutputs)
        let perIteration = try header.optionalInteger("num_tree_per_iteration", in: 1...LightGBMLimits.maxOutputs)
            ?? numClass
        _ = try header.integer("label_index", in: Int.min...Int.max)
        let maxFeature = try header.integer("max_feature_idx", in: 0...(LightGBMLimits.maxFeatures - 1))
        numFeature = maxFeature + 1
        guard let names = header.values["feature_names"] else { throw header.fail("'feature_names' is missing") }
        featureNames = names.split(separator: " ").map(String.init)
        guard featureNames.count == numFeature else {
            throw header.fail("feature_names has \(featureNames.count) names for max_feature_idx \(maxFeature)")
        }
        guard let infos = header.values["feature_infos"] else { throw header.fail("'feature_infos' is missing") }
        guard infos.split(separator: " ").count == numFeature else {
            throw header.fail("feature_infos does not have \(numFeature) entries")
        }
        objective = try LightGBMObjective(line: header.values["objective"], source: source)
        try Self.checkOutputs(objective, numClass: numClass, perIteration: perIteration, header: header)
        outputs = perIteration
        averageOutput = header.values["average_output"] != nil
        version = header.values["version"] ?? "unknown"

        var trees: [LightGBMTree] = []
        trees.reserveCapacity(text.trees.count)
        for (index, fields) in text.trees.enumerated() {
            trees.append(try LightGBMTree(TreeFields(values: fields, bytes: bytes, tree: index, source: source),
                                          numFeature: numFeature))
        }
        guard trees.count % perIteration == 0 else {
            throw header.fail("\(trees.count) trees are not whole iterations of \(perIteration) trees")
        }
        treeCount = trees.count
        iterations = trees.count / perIteration
        linearTreeCount = trees.filter { $0.linear != nil }.count
        categoricalSplitCount = trees.reduce(0) { $0 + $1.categories.count }
        let compiled = try Compiler(trees: trees, numFeature: numFeature, outputs: perIteration, source: source)
        inputs = compiled.inputs
        zeroAsMissingFeatures = compiled.inputs.filter { $0 == .zeroIsMissing }.count
        ensemble = compiled.ensemble
        linearLeaves = compiled.linear
        explanation = compiled.explainer
    }

    /// A model trained on pandas `category` columns ends with their
    /// categories (`pandas_categorical:[[…], …]`): LightGBM's Python
    /// `predict` turns each value into its position in that list before the
    /// trees see it. Conveyor does not, so such a model would be fed values
    /// where it expects positions: refused, naming the line.
    static func refusePandasCategories(_ bytes: [UInt8], source: String) throws(ConveyorError) {
        let key = Array("pandas_categorical:".utf8)
        guard bytes.count >= key.count else { return }
        var start = bytes.count - key.count
        while start >= 0 {
            if (start == 0 || bytes[start - 1] == UInt8(ascii: "\n")), bytes[start..<(start + key.count)].elementsEqual(key) {
                let value = bytes[(start + key.count)...].prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
                let text = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard text == "null" || text.isEmpty else {
                    throw ConveyorError(.unsupportedModel, "LightGBM model \(source) was trained on pandas category columns "
                        + "(pandas_categorical:\(text.boundedForMessage(80))): LightGBM's Python predict maps their values to "
                        + "category codes with that list, which Conveyor does not; train on integer codes (or convert the "
                        + "columns with .cat.codes) and save again")
                }
                return
            }
            start -= 1
        }
    }

    /// Values per row must be one per class for multi-class objectives and
    /// one otherwise; the header's `num_class` must say the same.
    private static func checkOutputs(_ objective: LightGBMObjective, numClass: Int, perIteration: Int,
                                     header: Header) throws(ConveyorError) {
        let expected = objective.numClass ?? (objective.name == "custom" ? perIteration : 1)
        guard numClass == expected, perIteration == expected else {
            throw header.fail("objective '\(objective.line.boundedForMessage(80))' with num_class \(numClass) and "
                                + "num_tree_per_iteration \(perIteration): they must both be \(expected)")
        }
    }
}

/// The header's `key=value` lines.
struct Header {
    let values: [String: String]
    let source: String

    init(text: ModelText) {
        values = text.header
        source = text.source
    }

    func fail(_ message: String) -> ConveyorError {
        ConveyorError(.modelCorrupt, "LightGBM model \(source): \(message)")
    }

    func integer(_ key: String, in bounds: ClosedRange<Int>) throws(ConveyorError) -> Int {
        guard let value = try optionalInteger(key, in: bounds) else { throw fail("'\(key)' is missing") }
        return value
    }

    func optionalInteger(_ key: String, in bounds: ClosedRange<Int>) throws(ConveyorError) -> Int? {
        guard let text = values[key] else { return nil }
        guard let value = TextNumbers.integer(ArraySlice(text.utf8)) else {
            throw fail("\(key) '\(text.boundedForMessage(40))' is not an integer")
        }
        guard bounds.contains(value) else {
            throw fail("\(key) \(value) is out of range \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return value
    }
}
